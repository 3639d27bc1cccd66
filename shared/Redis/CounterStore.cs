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
    // KEYS[1] bucket; ARGV (field, "count:version", version) per counter. Returns how many were written. A real
    // count keeps its bucket: it drops the expiry a bucket of ghosts only was created with.
    private const string SetIfNewerScript = """
        local written = 0
        for i = 1, #ARGV, 3 do
          local cur = redis.call('HGET', KEYS[1], ARGV[i])
          local v = cur and tonumber(string.match(cur, ':(%d+)$'))
          if not (v and v >= tonumber(ARGV[i + 2])) then
            redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
            written = written + 1
          end
        end
        if written > 0 then redis.call('PERSIST', KEYS[1]) end
        return written
        """;

    // KEYS[1] bucket; ARGV[1] field, ARGV[2] expected current value ('' = missing), ARGV[3] new value. Returns 1 if written.
    private const string ReplaceIfUnchangedScript = """
        local cur = redis.call('HGET', KEYS[1], ARGV[1])
        if (cur or '') ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        redis.call('PERSIST', KEYS[1])
        return 1
        """;

    // KEYS[1] bucket; ARGV[1] ttl ms, then fields. A ghost never replaces a counter; a bucket it creates expires,
    // so ids nobody liked (or made up) cost memory for the ttl only.
    private const string GhostScript = """
        local fresh = redis.call('EXISTS', KEYS[1]) == 0
        for i = 2, #ARGV do redis.call('HSETNX', KEYS[1], ARGV[i], '0:0') end
        if fresh then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return 0
        """;

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
            writes.Add(db.ScriptEvaluateAsync(SetIfNewerScript, [bucket], values));
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
            .Select(b => db.ScriptEvaluateAsync(GhostScript, [b.Bucket], b.Values)));
    }

    /// <summary>Repairs one counter, but only if it still holds what the caller saw (a concurrent newer write wins).</summary>
    public async Task<bool> ReplaceIfUnchangedAsync(long contentId, string? seen, CounterValue value)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            ReplaceIfUnchangedScript, [keys.CounterBucket(contentId)], [RedisKeys.CounterField(contentId), seen ?? string.Empty, value.ToString()]);
        return (int)result == 1;
    }

    /// <summary>Queues reads of the counters (on a batch the caller executes with other reads: one round trip).</summary>
    public static Task<RedisValue>[] Read(IDatabaseAsync db, RedisKeys keys, IReadOnlyList<long> contentIds)
    {
        var reads = new Task<RedisValue>[contentIds.Count];
        for (var i = 0; i < contentIds.Count; i++)
        {
            reads[i] = db.HashGetAsync(keys.CounterBucket(contentIds[i]), RedisKeys.CounterField(contentIds[i]));
        }

        return reads;
    }

    /// <summary>Reads one counter: <c>count:version</c>, or null when Redis holds none.</summary>
    public static Task<RedisValue> Read(IDatabaseAsync db, RedisKeys keys, long contentId) => Read(db, keys, [contentId])[0];

    private IEnumerable<(RedisKey Bucket, RedisValue[] Values)> ByBucket<T>(
        IEnumerable<T> items, Func<T, long> contentId, Func<T, RedisValue[]> values, RedisValue? first = null)
        => items
            .GroupBy(i => keys.CounterBucket(contentId(i)))
            .Select(g => ((RedisKey)g.Key, (first is { } f ? [f] : Array.Empty<RedisValue>()).Concat(g.SelectMany(values)).ToArray()));
}
