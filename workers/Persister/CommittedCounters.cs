using Likes.Shared;
using Microsoft.Extensions.Options;

namespace Likes.Persister;

/// <summary>
/// Writes the absolute counts a commit read back to Redis (only newer versions win). Never a reason to hold the
/// events: PostgreSQL has them, a redelivery writes the counts again, and the reconciler repairs what is missed.
/// Nothing here throws.
/// </summary>
public sealed partial class CommittedCounters(CounterStore counters, PersisterMetrics metrics, IOptions<PersisterOptions> options, ILogger<CommittedCounters> logger)
{
    public async Task WriteAsync(IReadOnlyCollection<KeyValuePair<long, CounterValue>> counts)
    {
        if (counts.Count == 0)
        {
            return;
        }

        try
        {
            await counters.SetIfNewerAsync(counts).WaitAsync(options.Value.CounterWriteTimeout);
            metrics.CountersWritten(counts.Count);
        }
        catch (Exception ex)
        {
            metrics.CounterWriteFailed();
            CounterWriteFailed(logger, ex, counts.Count);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Committed but could not write {Contents} counters to Redis; the reconciler will repair them")]
    private static partial void CounterWriteFailed(ILogger logger, Exception exception, int contents);
}
