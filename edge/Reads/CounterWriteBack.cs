using Likes.Edge.Options;
using Likes.Shared;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Edge.Reads;

/// <summary>
/// Puts counters a read had to load from PostgreSQL back into Redis, without ever moving one backwards:
/// a found count with its row's version, set only if newer (<see cref="CounterStore.SetIfNewerAsync"/>);
/// a content without a count row as a ghost (<see cref="CounterStore.Ghost"/>), set only where no counter is; a
/// bucket of ghosts only expires after <see cref="EdgeOptions.GhostTtl"/>. Version 0 is older than every real
/// count, so the persister's next write replaces a ghost.
/// </summary>
public sealed partial class CounterWriteBack(IConnectionMultiplexer redis, CounterStore counters, IOptions<EdgeOptions> edge, ILogger<CounterWriteBack> log)
{
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
            await Task.WhenAll(counters.SetIfNewerAsync(found), counters.WriteGhostsAsync(ghosts, _ghostTtl));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WriteBackFailed(log, ex, found.Count, ghosts.Count);
        }
    }

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Could not write {Found} loaded counters and {Ghosts} ghosts back to Redis")]
    private static partial void WriteBackFailed(ILogger logger, Exception exception, int found, int ghosts);
}
