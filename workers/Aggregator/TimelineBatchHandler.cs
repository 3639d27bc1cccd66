using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Likes.Shared.Reheating;

namespace Likes.Aggregator;

/// <summary>
/// Applies a batch to the timelines, segment by segment in stream order (<see cref="EventBatch.Segments"/>). Likes and
/// unlikes: collapsed to one change per (user, content) (<see cref="BatchCollapser"/>), then one script per user, all in
/// one pipelined round trip; the same script sets the bits of new likes in the user's Bloom filter. An erase empties
/// the user's timeline and drops their filter: a complete timeline of nothing at the erase's position, so no rebuild
/// from a PostgreSQL that has not erased yet can bring the likes back. Hide and show change no timeline. Then the
/// partition's position, once every script succeeded. Counts are the persister's (docs/architecture.md): the timeline
/// answers here say only what changed, for the metrics. A user whose timeline this batch truncated (or who outgrew
/// their filter) gets a filter built by the reheater, asked here so it exists before reads need it.
/// </summary>
public sealed class TimelineBatchHandler(TimelineStore timelines, TimelinePositions positions, ReheatRequests reheat, AggregatorMetrics metrics) : IEventBatchHandler
{
    public async Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        foreach (var segment in batch.Segments())
        {
            var first = segment.Events[0];
            if (first.Action.ChangesAPair())
            {
                await ApplyPairsAsync(segment);
            }
            else if (first.Action == LikeAction.Erase)
            {
                await timelines.ReplaceAsync(first.UserId, segment.Position, TimelineState.Complete, [], FilterChange.Drop);
            }

            await positions.WriteAsync(segment.Partition, segment.Position);
        }
    }

    private async Task ApplyPairsAsync(EventBatch segment)
    {
        var steps = BatchCollapser.Collapse(segment.Events);
        var (changed, needFilter) = await timelines.ApplyAsync(steps.GroupBy(c => c.UserId), segment.Position);
        metrics.Applied(steps.Count, changed);
        foreach (var userId in needFilter)
        {
            reheat.Request(new ReheatRequest(userId), ReheatRequests.Aggregator);
        }
    }
}
