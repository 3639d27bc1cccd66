using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// The per-content counters in Redis. They are only ever written as absolute values taken from
/// PostgreSQL's count row, and only when newer than what Redis holds: never incremented, so a missing
/// counter can never be recreated from zero, and a repeated or late write can never move one backwards.
/// </summary>
public sealed class CounterStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    // KEYS[1] counter; ARGV[1] "count:version", ARGV[2] version. Returns 1 if written.
    private const string SetIfNewerScript = """
        local cur = redis.call('GET', KEYS[1])
        if cur then
          local v = tonumber(string.match(cur, ':(%d+)$'))
          if v and v >= tonumber(ARGV[2]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1])
        return 1
        """;

    // KEYS[1] counter; ARGV[1] expected current value ('' = missing), ARGV[2] new value. Returns 1 if written.
    private const string ReplaceIfUnchangedScript = """
        local cur = redis.call('GET', KEYS[1])
        if (cur or '') ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>Writes each counter whose version is newer than Redis's, in one pipelined round trip. Returns how many were written.</summary>
    public async Task<int> SetIfNewerAsync(IReadOnlyCollection<KeyValuePair<long, CounterValue>> counters)
    {
        if (counters.Count == 0)
        {
            return 0;
        }

        var db = redis.GetDatabase();
        var writes = new List<Task<RedisResult>>(counters.Count);
        foreach (var (contentId, value) in counters)
        {
            writes.Add(db.ScriptEvaluateAsync(SetIfNewerScript, [keys.Counter(contentId)], [value.ToString(), value.Version]));
        }

        var results = await Task.WhenAll(writes);
        return results.Count(r => (int)r == 1);
    }

    /// <summary>Repairs one counter, but only if it still holds what the caller saw (a concurrent newer write wins).</summary>
    public async Task<bool> ReplaceIfUnchangedAsync(long contentId, string? seen, CounterValue value)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(ReplaceIfUnchangedScript, [keys.Counter(contentId)], [seen ?? string.Empty, value.ToString()]);
        return (int)result == 1;
    }

    /// <summary>Queues reads of the counters on a batch the caller executes with other reads: one round trip.</summary>
    public static Task<RedisValue>[] Read(IBatch batch, RedisKeys keys, IReadOnlyList<long> contentIds)
    {
        var reads = new Task<RedisValue>[contentIds.Count];
        for (var i = 0; i < contentIds.Count; i++)
        {
            reads[i] = batch.StringGetAsync(keys.Counter(contentIds[i]));
        }

        return reads;
    }
}
