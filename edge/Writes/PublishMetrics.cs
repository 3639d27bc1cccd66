using Likes.Shared.Events;
using Prometheus;

namespace Likes.Edge.Writes;

/// <summary>The write path's own metrics; labels are bounded (action, reason).</summary>
public sealed class PublishMetrics
{
    public const string Timeout = "timeout";
    public const string Rejected = "rejected";
    public const string Unreachable = "unavailable";
    public const string SequenceReused = "sequence_reused";

    private readonly Counter _published = Metrics.CreateCounter(
        "likes_edge_events_published_total", "Events the stream acked as new, by action.", "action");

    private readonly Counter _deduplicated = Metrics.CreateCounter(
        "likes_edge_events_deduplicated_total", "Writes whose Idempotency-Key the stream had already stored (answered 202, nothing new).");

    private readonly Counter _keysReused = Metrics.CreateCounter(
        "likes_edge_idempotency_keys_reused_total", "Writes refused 422 because their Idempotency-Key was sent before with another write.");

    private readonly Histogram _seconds = Metrics.CreateHistogram(
        "likes_edge_publish_seconds", "Time from publishing an event to the stream's ack or the failure.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0002, 2, 16) });

    private readonly Counter _failures = Metrics.CreateCounter(
        "likes_edge_publish_failures_total", "Writes answered 503, by reason: timeout, rejected (the stream refused, e.g. full), unavailable, sequence_reused (acked at a sequence the stream had handed out before a restart).", "reason");

    private readonly Counter _limited = Metrics.CreateCounter(
        "likes_edge_writes_limited_total", "Writes refused 429: the user went past LIKES_WRITE_RATE_PER_USER.");

    private readonly Counter _limitFallbacks = Metrics.CreateCounter(
        "likes_edge_write_limit_fallbacks_total", "Write-rate decisions this edge made alone because Redis could not answer in time (the limit then holds per edge, not across edges).");

    public PublishMetrics()
    {
        // Series exist at zero from the start, so rate() and alerts see them before the first event.
        foreach (var action in Enum.GetValues<LikeAction>())
        {
            _published.WithLabels(Label(action));
        }

        foreach (var reason in (string[])[Timeout, Rejected, Unreachable, SequenceReused])
        {
            _failures.WithLabels(reason);
        }
    }

    public void Published(LikeAction action, bool duplicate, TimeSpan elapsed)
    {
        if (duplicate)
        {
            _deduplicated.Inc();
        }
        else
        {
            _published.WithLabels(Label(action)).Inc();
        }

        _seconds.Observe(elapsed.TotalSeconds);
    }

    public void KeyReused() => _keysReused.Inc();

    public void Limited() => _limited.Inc();

    public void LimitFallback() => _limitFallbacks.Inc();

    public void Failed(string reason, TimeSpan elapsed)
    {
        _failures.WithLabels(reason).Inc();
        _seconds.Observe(elapsed.TotalSeconds);
    }

    private static string Label(LikeAction action) => action.ToString().ToLowerInvariant();
}
