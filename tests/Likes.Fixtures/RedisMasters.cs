using System.Globalization;
using StackExchange.Redis;

namespace Likes.Fixtures;

/// <summary>
/// The Redis servers that hold keys: the one server of a single node, every master of a Redis Cluster. Key scans,
/// configuration and server statistics go to each of them (a replica holds copies: counting it would count twice).
/// </summary>
public static class RedisMasters
{
    private const int ScanPage = 1000;

    public static IReadOnlyList<IServer> Masters(this IConnectionMultiplexer redis)
        => [.. redis.GetServers().Where(s => s.IsConnected && !s.IsReplica)];

    /// <summary>Every key matching <paramref name="pattern"/>, from each master in turn.</summary>
    public static async IAsyncEnumerable<RedisKey> KeysAsync(this IConnectionMultiplexer redis, RedisValue pattern, int pageSize = ScanPage)
    {
        foreach (var server in redis.Masters())
        {
            await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: pageSize))
            {
                yield return key;
            }
        }
    }

    /// <summary>Deletes each key by itself: in a cluster the keys of one call may live in different slots.</summary>
    public static async Task<long> DeleteEachAsync(this IDatabase db, IEnumerable<RedisKey> keys)
        => (await Task.WhenAll(keys.Select(k => db.KeyDeleteAsync(k)))).LongCount(deleted => deleted);

    /// <summary>Deletes every key matching <paramref name="pattern"/> on every master.</summary>
    public static async Task DeleteKeysAsync(this IConnectionMultiplexer redis, RedisValue pattern, int pageSize = ScanPage)
    {
        var keys = new List<RedisKey>();
        await foreach (var key in redis.KeysAsync(pattern, pageSize))
        {
            keys.Add(key);
        }

        await redis.GetDatabase().DeleteEachAsync(keys);
    }

    /// <summary>A setting as the first master has it (the test and bench stacks configure every node alike).</summary>
    public static async Task<string?> ConfigGetAsync(this IConnectionMultiplexer redis, RedisValue setting)
        => (await redis.Masters()[0].ConfigGetAsync(setting)).FirstOrDefault().Value;

    public static Task ConfigSetAsync(this IConnectionMultiplexer redis, RedisValue setting, RedisValue value)
        => Task.WhenAll(redis.Masters().Select(s => s.ConfigSetAsync(setting, value)));

    /// <summary>A numeric <c>INFO</c> field summed over the masters (<c>used_memory</c>: what the keys take in all).</summary>
    public static async Task<long> InfoSumAsync(this IConnectionMultiplexer redis, string section, string field)
    {
        var values = await Task.WhenAll(redis.Masters().Select(s => s.InfoAsync(section)));
        return values.Sum(info => long.Parse(info.SelectMany(g => g).First(kv => kv.Key == field).Value, CultureInfo.InvariantCulture));
    }
}
