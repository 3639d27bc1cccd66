using Prometheus;

namespace Likes.Aggregator;

/// <summary>What the batching buys: events in, net changes after collapsing, members that really changed.</summary>
public sealed class AggregatorMetrics
{
    private readonly Counter _collapsed = Metrics.CreateCounter("likes_aggregator_changes_after_collapse_total", "Net (user, content) changes after collapsing batches.");
    private readonly Counter _changed = Metrics.CreateCounter("likes_aggregator_timeline_changes_total", "Timeline members really added or removed (a repeated like changes nothing).");

    public void Applied(int afterCollapse, long reallyChanged)
    {
        _collapsed.Inc(afterCollapse);
        _changed.Inc(reallyChanged);
    }
}
