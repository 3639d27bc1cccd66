using Likes.Shared.Events;
using Prometheus;

namespace Likes.Persister;

public sealed class PersisterMetrics
{
    private readonly Counter _rows = Metrics.CreateCounter("likes_persister_rows_total", "Rows of likes really changed, by operation (a replay changes none).", "operation");
    private readonly Histogram _transaction = Metrics.CreateHistogram("likes_persister_transaction_seconds", "Time of one group transaction (one round trip).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
    private readonly Counter _counterWrites = Metrics.CreateCounter("likes_persister_counter_writes_total", "Counter writes sent to Redis (one per touched content per group, at most one per content per Persister:CounterWriteInterval).");
    private readonly Counter _countedChanges = Metrics.CreateCounter("likes_persister_counted_changes_total", "Likes and unlikes that moved a count; divided by counter writes, the coalescing factor.");
    private readonly Counter _counterFailures = Metrics.CreateCounter("likes_persister_counter_write_failures_total", "Batches whose counter write to Redis failed after commit (the reconciler repairs them).");

    private readonly Counter _duplicates = Metrics.CreateCounter("likes_persister_duplicate_likes_total",
        "Likes whose row already existed (they change nothing), by whether Redis had the relation: hot, or cold (a timeline rebuild was requested).", "relation");

    private readonly Histogram _groupBatches = Metrics.CreateHistogram("likes_persister_group_batches", "Partition batches committed together in one transaction.",
        new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64] });

    private readonly Counter _changes = Metrics.CreateCounter("likes_persister_changes_published_total", "Changes relayed from the outbox to the change stream.");
    private readonly Counter _relayFailures = Metrics.CreateCounter("likes_persister_change_relay_failures_total", "Relay rounds that failed (PostgreSQL or NATS unavailable); the changes stay in the outbox.");

    public PersisterMetrics()
    {
        _duplicates.WithLabels("hot");
        _duplicates.WithLabels("cold");
    }

    /// <summary>Rows inserted so far: what <c>likes_persister_rows_total{operation="insert"}</c> shows, read in process.</summary>
    public double RowsInserted => _rows.WithLabels("insert").Value;

    public void Committed(PersistOutcome outcome, int batches, TimeSpan elapsed)
    {
        _groupBatches.Observe(batches);
        _rows.WithLabels("insert").Inc(outcome.Inserted);
        _rows.WithLabels("delete").Inc(outcome.Deleted);
        _countedChanges.Inc(outcome.Inserted + outcome.Deleted);
        _transaction.Observe(elapsed.TotalSeconds);
    }

    /// <summary>Likes an erase, hide or show changed (<c>operation</c> erase, hide, show).</summary>
    public void UserWide(LikeAction action, int rows) => _rows.WithLabels(action.ToString().ToLowerInvariant()).Inc(rows);

    /// <summary>Likes removed with their deleted content (<c>operation</c> content_delete).</summary>
    public void ContentDeleted(int rows) => _rows.WithLabels("content_delete").Inc(rows);

    public void ChangesPublished(int changes) => _changes.Inc(changes);

    public void ChangeRelayFailed() => _relayFailures.Inc();

    public void CountersWritten(int writes) => _counterWrites.Inc(writes);

    public void CounterWriteFailed() => _counterFailures.Inc();

    public void Duplicates(int hot, int cold)
    {
        _duplicates.WithLabels("hot").Inc(hot);
        _duplicates.WithLabels("cold").Inc(cold);
    }
}
