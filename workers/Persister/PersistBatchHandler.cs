using System.Diagnostics;
using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Microsoft.Extensions.Options;

namespace Likes.Persister;

/// <summary>
/// Persists a batch: collapse, one transaction, then the absolute counts to Redis (only newer versions
/// win). The counts are read back on every delivery, so a crash between commit and this write loses
/// nothing: the redelivered batch writes them again.
/// </summary>
public sealed partial class PersistBatchHandler(
    LikeWriter writer,
    CounterStore counters,
    PersisterMetrics metrics,
    IOptions<PersisterOptions> options,
    ILogger<PersistBatchHandler> logger) : IEventBatchHandler
{
    public async Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        using var activity = LikesTelemetry.Source.StartActivity("persist batch");
        activity?.SetTag("likes.partition", batch.Partition);
        activity?.SetTag("likes.batch_size", batch.Events.Count);

        var changes = BatchCollapser.Collapse(batch.Events);
        var started = Stopwatch.GetTimestamp();
        var outcome = await writer.WriteAsync(changes, batch.Partition, batch.LastSequence, cancellationToken);
        metrics.Committed(outcome, Stopwatch.GetElapsedTime(started));

        try
        {
            await counters.SetIfNewerAsync(outcome.Counts).WaitAsync(options.Value.CounterWriteTimeout, cancellationToken);
            metrics.CountersWritten(outcome.Counts.Count);
        }
        catch (Exception ex) when (TransientFailure.Is(ex))
        {
            metrics.CounterWriteFailed();
            CounterWriteFailed(logger, ex, batch.Partition, outcome.Counts.Count);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "Committed batch of partition {Partition} but could not write {Contents} counters to Redis; the reconciler will repair them")]
    private static partial void CounterWriteFailed(ILogger logger, Exception exception, int partition, int contents);
}
