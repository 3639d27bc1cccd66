namespace Likes.Helm.Tests;

/// <summary>The kind of a Prometheus metric; a histogram is exposed as name_bucket, name_sum and name_count.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One metric a process exposes on /metrics, with its label names (Source: the process or processes).</summary>
public sealed record ExposedMetric(string Name, MetricType Type, string Source, params string[] Labels);

/// <summary>
/// The metrics the Likes processes expose on <c>/metrics</c>: the contract the alerts
/// (helm/likes/files/alerts.yaml) and the dashboard (helm/likes/dashboards/likes.json) are written
/// against. The chart tests check that every metric those use is listed here; a test that scrapes the
/// running daemons can check each is really exposed. <c>up</c> is Prometheus's own.
/// </summary>
public static class ExposedMetrics
{
    private const string Workers = "aggregator, persister";

    public static readonly IReadOnlyList<ExposedMetric> All =
    [
        // Prometheus, per scrape target.
        new("up", MetricType.Gauge, "prometheus"),

        // Every daemon, one metric told apart by the scrape target's component label (shared/Hosting/DependencyMetrics.cs).
        new("likes_dependency_up", MetricType.Gauge, "edge, aggregator, persister, reheater, reconciler", "dependency"),

        // The edge: prometheus-net's ASP.NET Core request metrics (UseHttpMetrics), then its own.
        new("http_requests_received_total", MetricType.Counter, "edge", "code", "method", "controller", "action", "endpoint"),
        new("http_request_duration_seconds", MetricType.Histogram, "edge", "code", "method", "controller", "action", "endpoint"),
        new("likes_edge_events_published_total", MetricType.Counter, "edge", "action"),
        new("likes_edge_events_deduplicated_total", MetricType.Counter, "edge"),
        new("likes_edge_publish_seconds", MetricType.Histogram, "edge"),
        new("likes_edge_publish_failures_total", MetricType.Counter, "edge", "reason"),
        new("likes_edge_degraded_reads_total", MetricType.Counter, "edge", "reason"),
        new("likes_edge_fallback_queries_total", MetricType.Counter, "edge", "kind"),
        new("likes_edge_fallback_query_seconds", MetricType.Histogram, "edge", "kind"),
        new("likes_edge_ghost_cache_hits_total", MetricType.Counter, "edge"),
        new("likes_edge_read_facts_total", MetricType.Counter, "edge", "source"),
        new("likes_reheat_requests_total", MetricType.Counter, "edge, persister, aggregator", "requester"),
        new("likes_edge_bloom_total", MetricType.Counter, "edge", "answer"),

        // The consumers (shared/Consuming/ConsumerMetrics.cs) and their partition leases (shared/Ownership/LeaseMetrics.cs):
        // one metric per fact, the worker a label. Then each worker's own.
        new("likes_consumer_events_applied_total", MetricType.Counter, Workers, "worker", "action"),
        new("likes_consumer_batch_size", MetricType.Histogram, Workers, "worker"),
        new("likes_consumer_apply_seconds", MetricType.Histogram, Workers, "worker"),
        new("likes_consumer_dead_lettered_total", MetricType.Counter, Workers, "worker", "reason"),
        new("likes_consumer_apply_failures_total", MetricType.Counter, Workers, "worker", "kind"),
        new("likes_consumer_pending", MetricType.Gauge, Workers, "worker", "partition"),
        new("likes_consumer_oldest_unapplied_age_seconds", MetricType.Gauge, Workers, "worker", "partition"),
        new("likes_consumer_events_recovered_total", MetricType.Counter, Workers, "worker", "path"),
        new("likes_consumer_stream_rewound_total", MetricType.Counter, Workers, "worker"),
        new("likes_consumer_fenced_total", MetricType.Counter, Workers, "worker"),
        new("likes_partitions_held", MetricType.Gauge, Workers, "worker"),
        new("likes_worker_replicas", MetricType.Gauge, Workers, "worker"),
        new("likes_leases_claimed_total", MetricType.Counter, Workers, "worker"),
        new("likes_leases_lost_total", MetricType.Counter, Workers, "worker"),
        new("likes_lease_rounds_failed_total", MetricType.Counter, Workers, "worker"),
        new("likes_aggregator_changes_after_collapse_total", MetricType.Counter, "aggregator"),
        new("likes_aggregator_timeline_changes_total", MetricType.Counter, "aggregator"),
        new("likes_persister_rows_total", MetricType.Counter, "persister", "operation"),
        new("likes_persister_transaction_seconds", MetricType.Histogram, "persister"),
        new("likes_persister_counter_writes_total", MetricType.Counter, "persister"),
        new("likes_persister_counted_changes_total", MetricType.Counter, "persister"),
        new("likes_persister_counter_write_failures_total", MetricType.Counter, "persister"),
        new("likes_persister_duplicate_likes_total", MetricType.Counter, "persister", "relation"),

        // The reheater.
        new("likes_reheater_requests_total", MetricType.Counter, "reheater", "outcome"),
        new("likes_reheater_rebuild_seconds", MetricType.Histogram, "reheater"),
        new("likes_reheater_likes_loaded_total", MetricType.Counter, "reheater"),
        new("likes_reheater_postgres_behind_total", MetricType.Counter, "reheater"),
        new("likes_reheater_filters_built_total", MetricType.Counter, "reheater", "reason"),
        new("likes_reheater_filter_likes_loaded_total", MetricType.Counter, "reheater"),

        // The reconciler. `job` is the Quartz job (recent, full): Prometheus stores it as exported_job.
        new("likes_reconciler_checked_total", MetricType.Counter, "reconciler", "job"),
        new("likes_reconciler_drift_found_total", MetricType.Counter, "reconciler", "store"),
        new("likes_reconciler_lag_seen_total", MetricType.Counter, "reconciler"),
        new("likes_reconciler_repaired_total", MetricType.Counter, "reconciler", "store"),
        new("likes_reconciler_runs_total", MetricType.Counter, "reconciler", "job", "result"),
        new("likes_reconciler_run_seconds", MetricType.Histogram, "reconciler", "job"),
        new("likes_reconciler_last_success_timestamp_seconds", MetricType.Gauge, "reconciler", "job"),
    ];

    /// <summary>True when <paramref name="series"/> is a listed metric or one of a listed histogram's series.</summary>
    public static bool Exposes(string series) => All.Any(m =>
        m.Name == series ||
        (m.Type == MetricType.Histogram && (series == m.Name + "_bucket" || series == m.Name + "_sum" || series == m.Name + "_count")));
}
