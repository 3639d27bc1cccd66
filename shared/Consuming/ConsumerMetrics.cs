using Likes.Shared.Events;
using Prometheus;

namespace Likes.Shared.Consuming;

/// <summary>The metrics every consumer exposes, named <c>likes_{daemon}_…</c>. Labels are bounded: action, partition, reason.</summary>
public sealed class ConsumerMetrics
{
    private readonly Counter _applied;
    private readonly Histogram _batchSize;
    private readonly Histogram _applySeconds;
    private readonly Counter _deadLettered;
    private readonly Counter _failures;
    private readonly Gauge _pending;
    private readonly Gauge _oldestAge;
    private readonly Counter _recovered;
    private readonly Counter _rewound;
    private readonly Counter _fenced;

    public ConsumerMetrics(WorkerIdentity worker)
    {
        var p = $"likes_{worker.Name}_";
        _applied = Metrics.CreateCounter(p + "events_applied_total", "Events applied, by action.", "action");
        _batchSize = Metrics.CreateHistogram(p + "batch_size", "Events per applied batch.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 14) });
        _applySeconds = Metrics.CreateHistogram(p + "apply_seconds", "Time to apply one batch to the store.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        _deadLettered = Metrics.CreateCounter(p + "dead_lettered_total", "Messages sent to the dead-letter subject, by reason.", "reason");
        _failures = Metrics.CreateCounter(p + "apply_failures_total",
            "Attempts at a batch that failed, by kind: unavailable (a store down or timing out), refused (a store refusing for configuration reasons: grants, ACLs, schema, read-only), event (the events themselves).", "kind");
        _pending = Metrics.CreateGauge(p + "consumer_pending", "Events in the stream not yet delivered to this consumer, by partition.", "partition");
        _oldestAge = Metrics.CreateGauge(p + "oldest_unapplied_age_seconds",
            "Age of the oldest event delivered but not yet applied (0 when caught up), by partition.", "partition");
        _recovered = Metrics.CreateCounter(p + "events_recovered_total",
            "Events applied from the stream because the server did not deliver them to this consumer, by path: held (a previous owner died holding them), gap (delivered to someone else or passed over), idle (passed over, found after an idle fetch).", "path");
        _rewound = Metrics.CreateCounter(p + "stream_rewound_total", "Partition loops that found the stream ending below their applied position (a stream that lost its tail).");
        _fenced = Metrics.CreateCounter(p + "fenced_total", "Batches a store refused because another replica had applied the partition further (a holder that lost its lease mid-batch).");
        foreach (var path in Enum.GetNames<RecoveryPath>())
        {
            _recovered.WithLabels(path.ToLowerInvariant());
        }

        foreach (var kind in Enum.GetNames<FailureKind>())
        {
            _failures.WithLabels(kind.ToLowerInvariant());
        }
    }

    public void Applied(IReadOnlyList<LikeEvent> events, TimeSpan elapsed)
    {
        var likes = 0;
        foreach (var e in events)
        {
            if (e.Action == LikeAction.Like)
            {
                likes++;
            }
        }

        if (events.Count == 0)
        {
            // A run of dead letters only: its position recorded, no batch of events.
            return;
        }

        _applied.WithLabels("like").Inc(likes);
        _applied.WithLabels("unlike").Inc(events.Count - likes);
        _batchSize.Observe(events.Count);
        _applySeconds.Observe(elapsed.TotalSeconds);
    }

    public void Recovered(RecoveryPath path, int events) => _recovered.WithLabels(path.ToString().ToLowerInvariant()).Inc(events);

    public void Rewound() => _rewound.Inc();

    public void Fenced() => _fenced.Inc();

    public void DeadLettered(string reasonKind) => _deadLettered.WithLabels(reasonKind).Inc();

    public void Failed(FailureKind kind) => _failures.WithLabels(kind.ToString().ToLowerInvariant()).Inc();

    public void Position(int partition, ulong pending, TimeSpan oldestUnapplied)
    {
        _pending.WithLabels(Label(partition)).Set(pending);
        Unapplied(partition, oldestUnapplied);
    }

    public void Unapplied(int partition, TimeSpan oldest)
        => _oldestAge.WithLabels(Label(partition)).Set(Math.Max(0, oldest.TotalSeconds));

    private static string Label(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
