using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Likes.Shared.Reheating;

namespace Likes.Aggregator;

/// <summary>
/// Applies a batch to the timelines: collapsed to one change per (user, content) (<see cref="BatchCollapser"/>),
/// then one script per user, all in one pipelined round trip; the same script sets the bits of new likes in
/// the user's Bloom filter. Then the partition's position, once every script succeeded. Counts are the persister's
/// (docs/architecture.md): the timeline answers here say only what changed, for the metrics. A user whose timeline
/// this batch truncated (or who outgrew their filter) gets a filter built by the reheater, asked here so it exists
/// before reads need it.
/// </summary>
public sealed class TimelineBatchHandler(TimelineStore timelines, TimelinePositions positions, ReheatRequests reheat, AggregatorMetrics metrics) : IEventBatchHandler
{
    public async Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var steps = BatchCollapser.Collapse(batch.Events);
        var (changed, needFilter) = await timelines.ApplyAsync(steps.GroupBy(c => c.UserId), batch.Position);
        await positions.WriteAsync(batch.Partition, batch.Position);
        metrics.Applied(steps.Count, changed);
        foreach (var userId in needFilter)
        {
            reheat.Request(new ReheatRequest(userId), ReheatRequests.Aggregator);
        }
    }
}
