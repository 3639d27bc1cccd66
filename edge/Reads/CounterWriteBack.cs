using Likes.Edge.Options;
using Likes.Shared;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Edge.Reads;

/// <summary>
/// Puts counters a read had to load from PostgreSQL back into Redis, without ever moving one backwards:
/// a found count with its row's version, set only if newer (<see cref="CounterStore.SetIfNewerAsync"/>);
/// a content without a count row as a ghost, <c>"0:0"</c> set only if the key is absent and for
/// <see cref="EdgeOptions.GhostTtl"/> only. Version 0 is older than every real count, so the persister's
/// next write replaces a ghost (and its plain SET drops the expiry).
/// </summary>
public sealed partial class CounterWriteBack(IConnectionMultiplexer redis, RedisKeys keys, CounterStore counters, IOptions<EdgeOptions> edge, ILogger<CounterWriteBack> log)
{
    public static readonly CounterValue Ghost = new(0, 0);

    private static readonly RedisValue GhostValue = Ghost.ToString();

    private readonly TimeSpan _ghostTtl = edge.Value.GhostTtl;

    /// <summary>Writes back, in one pipelined round trip; a Redis failure is logged and dropped (the next read loads again).</summary>
    public async Task WriteAsync(IReadOnlyCollection<KeyValuePair<long, CounterValue>> found, IReadOnlyCollection<long> ghosts)
    {
        if (!redis.IsConnected)
        {
            return;
        }

        try
        {
            var db = redis.GetDatabase();
            var ghostWrites = new Task[ghosts.Count];
            var i = 0;
            foreach (var contentId in ghosts)
            {
                ghostWrites[i++] = db.StringSetAsync(keys.Counter(contentId), GhostValue, _ghostTtl, When.NotExists);
            }

            await counters.SetIfNewerAsync(found);
            await Task.WhenAll(ghostWrites);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WriteBackFailed(log, ex, found.Count, ghosts.Count);
        }
    }

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Could not write {Found} loaded counters and {Ghosts} ghosts back to Redis")]
    private static partial void WriteBackFailed(ILogger logger, Exception exception, int found, int ghosts);
}
