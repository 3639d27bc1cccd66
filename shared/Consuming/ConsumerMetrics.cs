using Likes.Shared.Events;
using Prometheus;

namespace Likes.Shared.Consuming;

/// <summary>
/// The metrics every consumer exposes: one metric per fact, <c>likes_consumer_…{worker}</c>, the worker a label so one
/// alert covers them all. Labels are bounded: worker, action, partition, reason, kind, path.
/// </summary>
public sealed class ConsumerMetrics
{
    private readonly string _worker;
    private readonly Counter _applied;
    private readonly Histogram.Child _batchSize;
    private readonly Histogram.Child _applySeconds;
    private readonly Counter _deadLettered;
    private readonly Counter _failures;
    private readonly Gauge _pending;
    private readonly Gauge _oldestAge;
    private readonly Counter _recovered;
    private readonly Counter.Child _rewound;
    private readonly Counter.Child _fenced;

    public ConsumerMetrics(WorkerIdentity worker)
    {
        const string p = "likes_consumer_";
        const string w = "worker";
        _worker = worker.Name;
        _applied = Metrics.CreateCounter(p + "events_applied_total", "Events applied, by worker and action.", w, "action");
        _batchSize = Metrics.CreateHistogram(p + "batch_size", "Events per applied batch, by worker.",
            new HistogramConfiguration { LabelNames = [w], Buckets = Histogram.ExponentialBuckets(1, 2, 14) }).WithLabels(_worker);
        _applySeconds = Metrics.CreateHistogram(p + "apply_seconds", "Time to apply one batch to the store, by worker.",
            new HistogramConfiguration { LabelNames = [w], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) }).WithLabels(_worker);
        _deadLettered = Metrics.CreateCounter(p + "dead_lettered_total", "Messages sent to the dead-letter subject, by worker and reason.", w, "reason");
        _failures = Metrics.CreateCounter(p + "apply_failures_total",
            "Attempts at a batch that failed, by worker and kind: unavailable (a store down or timing out), refused (a store refusing for configuration reasons: grants, ACLs, schema, read-only), event (the events themselves).", w, "kind");
        _pending = Metrics.CreateGauge(p + "pending", "Events in the stream not yet delivered to the worker's consumer, by worker and partition.", w, "partition");
        _oldestAge = Metrics.CreateGauge(p + "oldest_unapplied_age_seconds",
            "Age of the oldest event delivered but not yet applied (0 when caught up), by worker and partition.", w, "partition");
        _recovered = Metrics.CreateCounter(p + "events_recovered_total",
            "Events applied from the stream because the server did not deliver them to this consumer, by worker and path: held (a previous owner died holding them), gap (delivered to someone else or passed over), idle (passed over, found after an idle fetch).", w, "path");
        _rewound = Metrics.CreateCounter(p + "stream_rewound_total", "Partition loops that found the stream ending below their applied position (a stream that lost its tail), by worker.", w).WithLabels(_worker);
        _fenced = Metrics.CreateCounter(p + "fenced_total", "Batches a store refused because another replica had applied the partition further (a holder that lost its lease mid-batch), by worker.", w).WithLabels(_worker);
        foreach (var path in Enum.GetNames<RecoveryPath>())
        {
            _recovered.WithLabels(_worker, path.ToLowerInvariant());
        }

        foreach (var kind in Enum.GetNames<FailureKind>())
        {
            _failures.WithLabels(_worker, kind.ToLowerInvariant());
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

        _applied.WithLabels(_worker, "like").Inc(likes);
        _applied.WithLabels(_worker, "unlike").Inc(events.Count - likes);
        _batchSize.Observe(events.Count);
        _applySeconds.Observe(elapsed.TotalSeconds);
    }

    public void Recovered(RecoveryPath path, int events) => _recovered.WithLabels(_worker, path.ToString().ToLowerInvariant()).Inc(events);

    public void Rewound() => _rewound.Inc();

    public void Fenced() => _fenced.Inc();

    public void DeadLettered(string reasonKind) => _deadLettered.WithLabels(_worker, reasonKind).Inc();

    public void Failed(FailureKind kind) => _failures.WithLabels(_worker, kind.ToString().ToLowerInvariant()).Inc();

    public void Position(int partition, ulong pending, TimeSpan oldestUnapplied)
    {
        _pending.WithLabels(_worker, Label(partition)).Set(pending);
        Unapplied(partition, oldestUnapplied);
    }

    public void Unapplied(int partition, TimeSpan oldest)
        => _oldestAge.WithLabels(_worker, Label(partition)).Set(Math.Max(0, oldest.TotalSeconds));

    private static string Label(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
