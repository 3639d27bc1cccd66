using Likes.Edge.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Edge.Reads;

/// <summary>
/// Whether a read may use Redis, and the wait for its Redis answers. Redis counts as unavailable when it is
/// not connected (no wait at all), when a command fails or when the answers take longer than
/// <see cref="EdgeOptions.RedisReadTimeout"/>; the read then answers from PostgreSQL and counts it as
/// <c>degraded_reads_total{reason="redis"}</c>.
/// </summary>
public sealed partial class RedisReads(IConnectionMultiplexer redis, IOptions<EdgeOptions> edge, ReadMetrics metrics, ILogger<RedisReads> log)
{
    private readonly ReadSource _source = edge.Value.ReadSource;
    private readonly TimeSpan _timeout = edge.Value.RedisReadTimeout;
    private readonly LogThrottle _logThrottle = new(TimeSpan.FromSeconds(1));

    public IDatabase Database => redis.GetDatabase();

    /// <summary>False when reads go to PostgreSQL alone (by configuration, or Redis is not connected: counted).</summary>
    public bool Usable()
    {
        if (_source == ReadSource.Postgres)
        {
            return false;
        }

        if (redis.IsConnected)
        {
            return true;
        }

        metrics.Degraded(ReadMetrics.Redis);
        return false;
    }

    /// <summary>Waits for a read's Redis answers; false (counted, logged) when Redis failed or was too slow.</summary>
    public async Task<bool> AwaitAsync(Task reads)
    {
        try
        {
            await reads.WaitAsync(_timeout);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The abandoned commands still complete or fail later: observe them, so nothing goes unobserved.
            _ = reads.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            metrics.Degraded(ReadMetrics.Redis);
            if (_logThrottle.Allow())
            {
                RedisFailed(log, ex);
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Redis read failed or timed out; answering from PostgreSQL. At most one such line a second: likes_edge_degraded_reads_total counts them all")]
    private static partial void RedisFailed(ILogger logger, Exception exception);
}
