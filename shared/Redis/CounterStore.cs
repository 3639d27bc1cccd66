using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// The per-content counters in Redis, a hundred to a hash (<see cref="RedisKeys.CounterBucket"/>). They are only
/// ever written as absolute values taken from PostgreSQL's count row, and only when newer than what Redis holds:
/// never incremented, so a missing counter can never be recreated from zero, and a repeated or late write can
/// never move one backwards.
/// </summary>
public sealed class CounterStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>The value that says "nobody liked this content": version 0 is older than every real count.</summary>
    public static readonly CounterValue Ghost = new(0, 0);

    /// <summary>Writes each counter whose version is newer than Redis's, one script per bucket, all pipelined. Returns how many were written.</summary>
    public async Task<int> SetIfNewerAsync(IReadOnlyCollection<KeyValuePair<long, CounterValue>> counters)
    {
        if (counters.Count == 0)
        {
            return 0;
        }

        var db = redis.GetDatabase();
        var writes = new List<Task<RedisResult>>();
        foreach (var (bucket, values) in ByBucket(counters, c => c.Key, c => [RedisKeys.CounterField(c.Key), c.Value.ToString(), c.Value.Version]))
        {
            writes.Add(RedisScripts.CountersSetIfNewer.EvaluateAsync(db, [bucket], values));
        }

        var results = await Task.WhenAll(writes);
        return results.Sum(r => (int)r);
    }

    /// <summary>Caches <see cref="Ghost"/> for contents without a count row, where no counter is, all pipelined.</summary>
    public Task WriteGhostsAsync(IReadOnlyCollection<long> contentIds, TimeSpan ttl)
    {
        var db = redis.GetDatabase();
        var ttlMs = (long)ttl.TotalMilliseconds;
        return Task.WhenAll(ByBucket(contentIds, c => c, c => [RedisKeys.CounterField(c)], first: ttlMs)
            .Select(b => RedisScripts.CountersGhost.EvaluateAsync(db, [b.Bucket], b.Values)));
    }

    /// <summary>Repairs one counter, but only if it still holds what the caller saw (a concurrent newer write wins).</summary>
    public async Task<bool> ReplaceIfUnchangedAsync(long contentId, string? seen, CounterValue value)
    {
        var result = await RedisScripts.CounterReplaceIfUnchanged.EvaluateAsync(
            redis.GetDatabase(), [keys.CounterBucket(contentId)], [RedisKeys.CounterField(contentId), seen ?? string.Empty, value.ToString()]);
        return (int)result == 1;
    }

    /// <summary>
    /// Queues reads of the counters, one <c>HMGET</c> per bucket, on a batch the caller executes with other reads (one
    /// round trip); the values come back in the order of <paramref name="contentIds"/>, null where Redis holds none.
    /// Ids near each other (contents posted about the same time) share a bucket, and so a command.
    /// </summary>
    public static Task<RedisValue[]> Read(IDatabaseAsync db, RedisKeys keys, IReadOnlyList<long> contentIds)
    {
        var positions = new Dictionary<long, List<int>>();
        for (var i = 0; i < contentIds.Count; i++)
        {
            var bucket = RedisKeys.CounterBucketNumber(contentIds[i]);
            if (!positions.TryGetValue(bucket, out var inBucket))
            {
                positions[bucket] = inBucket = [];
            }

            inBucket.Add(i);
        }

        var reads = new List<(List<int> Positions, Task<RedisValue[]> Values)>(positions.Count);
        foreach (var inBucket in positions.Values)
        {
            var fields = new RedisValue[inBucket.Count];
            for (var f = 0; f < fields.Length; f++)
            {
                fields[f] = RedisKeys.CounterField(contentIds[inBucket[f]]);
            }

            reads.Add((inBucket, db.HashGetAsync(keys.CounterBucket(contentIds[inBucket[0]]), fields)));
        }

        return InOrderAsync(reads, contentIds.Count);
    }

    /// <summary>Reads one counter: <c>count:version</c>, or null when Redis holds none.</summary>
    public static Task<RedisValue> Read(IDatabaseAsync db, RedisKeys keys, long contentId)
        => db.HashGetAsync(keys.CounterBucket(contentId), RedisKeys.CounterField(contentId));

    private static async Task<RedisValue[]> InOrderAsync(List<(List<int> Positions, Task<RedisValue[]> Values)> reads, int count)
    {
        // Every read awaited, so a failure of one leaves none of the others unobserved.
        await Task.WhenAll(reads.Select(r => r.Values));
        var values = new RedisValue[count];
        foreach (var (positions, read) in reads)
        {
            var bucket = read.Result;
            for (var f = 0; f < positions.Count; f++)
            {
                values[positions[f]] = bucket[f];
            }
        }

        return values;
    }

    private IEnumerable<(RedisKey Bucket, RedisValue[] Values)> ByBucket<T>(
        IEnumerable<T> items, Func<T, long> contentId, Func<T, RedisValue[]> values, RedisValue? first = null)
        => items
            .GroupBy(i => keys.CounterBucket(contentId(i)))
            .Select(g => ((RedisKey)g.Key, (first is { } f ? [f] : Array.Empty<RedisValue>()).Concat(g.SelectMany(values)).ToArray()));
}
