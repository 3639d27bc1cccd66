using Likes.Fixtures;
using StackExchange.Redis;

namespace Likes.Bench.Memory;

/// <summary>
/// What keys cost in Redis: the sum of <c>MEMORY USAGE key SAMPLES 0</c> (exact, every element counted)
/// over a set of keys, pipelined. It counts each key's value, its name and Redis's per-key overhead; not
/// the expiry entry of keys with a TTL (<see cref="UsedMemoryAsync"/> gives the whole server for a cross-check).
/// </summary>
public sealed class RedisMemory(IConnectionMultiplexer redis)
{
    private const int Pipeline = 2_000;

    /// <summary>Bytes and key count of every key matching <paramref name="pattern"/>, grouped by <paramref name="kindOf"/>.</summary>
    public async Task<IReadOnlyDictionary<string, KeysCost>> MeasureAsync(string pattern, Func<string, string> kindOf)
    {
        var byKind = new Dictionary<string, KeysCost>(StringComparer.Ordinal);
        var page = new List<RedisKey>(Pipeline);
        async Task FlushAsync()
        {
            var sizes = await UsagesAsync(page);
            for (var i = 0; i < page.Count; i++)
            {
                var kind = kindOf(page[i]!);
                var cost = byKind.GetValueOrDefault(kind);
                byKind[kind] = new KeysCost(cost.Keys + 1, cost.Bytes + sizes[i]);
            }

            page.Clear();
        }

        await foreach (var key in redis.KeysAsync(pattern, Pipeline))
        {
            page.Add(key);
            if (page.Count == Pipeline)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        return byKind;
    }

    /// <summary>Bytes of the given keys together (missing keys cost nothing).</summary>
    public async Task<KeysCost> MeasureAsync(IEnumerable<RedisKey> keys)
    {
        var total = default(KeysCost);
        foreach (var chunk in keys.Chunk(Pipeline))
        {
            var sizes = await UsagesAsync(chunk);
            total = new KeysCost(total.Keys + sizes.Count(s => s > 0), total.Bytes + sizes.Sum());
        }

        return total;
    }

    /// <summary>The servers' <c>used_memory</c> (every master's, summed): everything, other users' keys included.</summary>
    public Task<long> UsedMemoryAsync() => redis.InfoSumAsync("memory", "used_memory");

    private async Task<long[]> UsagesAsync(IReadOnlyList<RedisKey> keys)
    {
        var db = redis.GetDatabase();
        var usages = keys.Select(k => db.ExecuteAsync("MEMORY", "USAGE", k, "SAMPLES", 0)).ToList();
        var results = await Task.WhenAll(usages);
        return [.. results.Select(r => r.IsNull ? 0L : (long)r)];
    }
}

public readonly record struct KeysCost(long Keys, long Bytes)
{
    public static KeysCost operator +(KeysCost a, KeysCost b) => new(a.Keys + b.Keys, a.Bytes + b.Bytes);
}
