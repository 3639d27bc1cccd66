using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Events;

namespace Likes.Aggregator;

/// <summary>
/// Applies a batch to the timelines: collapsed to one change per (user, content) (<see cref="BatchCollapser"/>),
/// then one script per user, all in one pipelined round trip. Counts are the persister's (docs/architecture.md):
/// the timeline answers here say only what changed, for the metrics.
/// </summary>
public sealed class TimelineBatchHandler(TimelineStore timelines, AggregatorMetrics metrics) : IEventBatchHandler
{
    public async Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var steps = BatchCollapser.Collapse(batch.Events);
        var changed = await timelines.ApplyAsync(steps.GroupBy(c => c.UserId), batch.LastSequence);
        metrics.Applied(steps.Count, changed);
    }
}
