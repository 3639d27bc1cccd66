using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;
using Likes.Edge.Options;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Reads;

/// <summary>
/// Every PostgreSQL read of the read path runs here: at most <see cref="EdgeOptions.FallbackConcurrency"/> at
/// once, a slot waited for at most <see cref="EdgeOptions.FallbackWait"/>, each query cancelled after
/// <see cref="EdgeOptions.FallbackTimeout"/>. When Redis cannot answer a storm of reads, PostgreSQL sees a
/// bounded load and the rest of the facts are answered null (degraded) instead of queueing up to a 500.
/// </summary>
public sealed partial class FallbackBudget : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _wait;
    private readonly TimeSpan _timeout;
    private readonly ReadMetrics _metrics;
    private readonly ILogger<FallbackBudget> _log;
    private readonly LogThrottle _logThrottle = new(TimeSpan.FromSeconds(1));

    public FallbackBudget(IOptions<EdgeOptions> edge, ReadMetrics metrics, ILogger<FallbackBudget> log)
    {
        var o = edge.Value;
        _slots = new SemaphoreSlim(o.FallbackConcurrency);
        _wait = o.FallbackWait;
        _timeout = o.FallbackTimeout;
        _metrics = metrics;
        _log = log;
    }

    /// <summary>
    /// Runs <paramref name="query"/> in a slot, or answers why it could not. <paramref name="requestAborted"/>
    /// cancels it with the request; a query whose answer other requests share passes none.
    /// </summary>
    public async Task<Fallback<T>> RunAsync<T>(string kind, Func<CancellationToken, Task<T>> query, CancellationToken requestAborted = default)
    {
        if (!await _slots.WaitAsync(_wait, requestAborted))
        {
            return Fallback.Unknown<T>(DegradedReason.Budget);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            timeout.CancelAfter(_timeout);
            return Fallback.Of(await query(timeout.Token));
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or TimeoutException or IOException or SocketException)
        {
            if (_logThrottle.Allow())
            {
                QueryFailed(_log, ex, kind);
            }

            return Fallback.Unknown<T>(DegradedReason.Postgres);
        }
        finally
        {
            _slots.Release();
            _metrics.FallbackQuery(kind, Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _slots.Dispose();

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "PostgreSQL fallback read ({Kind}) failed; its facts are answered null (degraded). At most one such line a second: likes_edge_degraded_reads_total counts them all")]
    private static partial void QueryFailed(ILogger logger, Exception exception, string kind);
}
