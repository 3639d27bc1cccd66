using Likes.Shared.Bloom;
using Prometheus;

namespace Likes.Reheater;

public sealed class ReheaterMetrics
{
    private readonly Counter _requests = Metrics.CreateCounter("likes_reheater_requests_total", "Rebuild requests taken, by outcome.", "outcome");
    private readonly Histogram _rebuild = Metrics.CreateHistogram("likes_reheater_rebuild_seconds", "Time to read a user's likes from PostgreSQL and write the timeline (and the Bloom filter, when one is built).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
    private readonly Counter _likes = Metrics.CreateCounter("likes_reheater_likes_loaded_total", "Likes loaded into timelines by rebuilds.");
    private readonly Counter _behind = Metrics.CreateCounter("likes_reheater_postgres_behind_total", "Rebuild attempts refused because PostgreSQL had not caught up with the timeline yet.");
    private readonly Counter _filters = Metrics.CreateCounter("likes_reheater_filters_built_total", "Bloom filters built for heavy users, by why: missing (none, or evicted) or overfull (the user outgrew it).", "reason");
    private readonly Counter _filterLikes = Metrics.CreateCounter("likes_reheater_filter_likes_loaded_total", "Likes read from PostgreSQL into Bloom filters.");

    public ReheaterMetrics()
    {
        _filters.WithLabels("missing");
        _filters.WithLabels("overfull");
    }

    public void Taken(RebuildOutcome outcome) => _requests.WithLabels(outcome.ToString().ToLowerInvariant()).Inc();

    public void Rebuilt(int likes, TimeSpan elapsed)
    {
        _likes.Inc(likes);
        _rebuild.Observe(elapsed.TotalSeconds);
    }

    public void FilterBuilt(BloomFilterState replaced, BloomBitmap filter)
    {
        _filters.WithLabels(replaced == BloomFilterState.Overfull ? "overfull" : "missing").Inc();
        _filterLikes.Inc(filter.Inserted);
    }

    public void Behind() => _behind.Inc();
}
