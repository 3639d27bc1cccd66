using Prometheus;

namespace Likes.Reconciler;

/// <summary>
/// The reconciler's instruments. Labels are bounded: job is recent|full, store is redis|postgres|timeline.
/// A drift alert reads <c>drift_found_total</c>; lag is counted apart because it is not a fault.
/// </summary>
public sealed class ReconcilerMetrics
{
    private static readonly Counter CheckedTotal = Metrics.CreateCounter("likes_reconciler_checked_total",
        "Contents compared, by job.", "job");
    private static readonly Counter DriftTotal = Metrics.CreateCounter("likes_reconciler_drift_found_total",
        "Contents found really wrong (not lag), by the store that was wrong.", "store");
    private static readonly Counter LagTotal = Metrics.CreateCounter("likes_reconciler_lag_seen_total",
        "Redis counters found behind a count row that changed within the grace period (normal, not drift).");
    private static readonly Counter RepairedTotal = Metrics.CreateCounter("likes_reconciler_repaired_total",
        "Drifted values this process replaced with the truth, by store.", "store");
    private static readonly Counter RunsTotal = Metrics.CreateCounter("likes_reconciler_runs_total",
        "Finished runs, by job and result (success|failure).", "job", "result");
    private static readonly Histogram RunSeconds = Metrics.CreateHistogram("likes_reconciler_run_seconds",
        "Duration of one run, by job.", new HistogramConfiguration
        {
            LabelNames = ["job"],
            Buckets = Histogram.ExponentialBuckets(0.01, 2, 18),
        });
    private static readonly Gauge LastSuccess = Metrics.CreateGauge("likes_reconciler_last_success_timestamp_seconds",
        "Unix time of the last successful run, by job.", "job");

    public ReconcilerMetrics()
    {
        // Every bounded series from zero, so a rate() or an alert sees it before the first event.
        foreach (var job in new[] { RecentReconciliation.Job, FullAudit.Job })
        {
            CheckedTotal.WithLabels(job);
            RunsTotal.WithLabels(job, "success");
            RunsTotal.WithLabels(job, "failure");
        }

        foreach (var store in new[] { Stores.Redis, Stores.Postgres, Stores.Timeline })
        {
            DriftTotal.WithLabels(store);
            RepairedTotal.WithLabels(store);
        }
    }

    public void Checked(string job, long contents) => CheckedTotal.WithLabels(job).Inc(contents);

    public void DriftFound(string store) => DriftTotal.WithLabels(store).Inc();

    public void LagSeen() => LagTotal.Inc();

    public void Repaired(string store) => RepairedTotal.WithLabels(store).Inc();

    public void Succeeded(string job, TimeSpan elapsed)
    {
        RunSeconds.WithLabels(job).Observe(elapsed.TotalSeconds);
        RunsTotal.WithLabels(job, "success").Inc();
        LastSuccess.WithLabels(job).SetToCurrentTimeUtc();
    }

    public void Failed(string job, TimeSpan elapsed)
    {
        RunSeconds.WithLabels(job).Observe(elapsed.TotalSeconds);
        RunsTotal.WithLabels(job, "failure").Inc();
    }
}
