using System.Text.Json;
using Xunit;

namespace Likes.Helm.Tests;

/// <summary>helm/likes/dashboards/likes.json: a Grafana dashboard of the fleet over metrics that exist.</summary>
public sealed class DashboardTests
{
    [Fact]
    public void Dashboard_IsGrafanaJsonWithAStableUid()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repo.Dashboard));
        var root = json.RootElement;

        Assert.Equal("likes-fleet", root.GetProperty("uid").GetString());
        Assert.Equal("Likes", root.GetProperty("title").GetString());
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("name").GetString());
        Assert.Equal(["datasource", "namespace"], variables);
        Assert.True(Panels(root).Count() >= 12);
    }

    [Fact]
    public void Dashboard_QueriesOnlyMetricsTheProcessesExpose()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repo.Dashboard));

        foreach (var (title, expr) in Queries(json.RootElement))
        {
            var names = PromQl.MetricNames(expr);
            Assert.NotEmpty(names);
            var unknown = names.Where(n => !ExposedMetrics.Exposes(n)).ToList();
            Assert.True(unknown.Count == 0, $"panel \"{title}\" queries metrics missing from ExposedMetrics.cs: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void Dashboard_CoversTheEdgeTheConsumersTheDependenciesAndTheReconciler()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repo.Dashboard));
        var used = Queries(json.RootElement).SelectMany(q => PromQl.MetricNames(q.Expr)).ToHashSet();

        string[] expected =
        [
            "http_requests_received_total", "http_request_duration_seconds_bucket", "likes_edge_publish_failures_total", "likes_edge_degraded_reads_total",
            "likes_consumer_events_applied_total", "likes_consumer_pending",
            "likes_consumer_oldest_unapplied_age_seconds", "likes_consumer_dead_lettered_total",
            "likes_dependency_up", "up", "likes_reheater_requests_total",
            "likes_reconciler_drift_found_total", "likes_reconciler_repaired_total", "likes_reconciler_last_success_timestamp_seconds",
        ];
        Assert.Empty(expected.Except(used));
    }

    private static IEnumerable<JsonElement> Panels(JsonElement root) =>
        root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row");

    private static IEnumerable<(string Title, string Expr)> Queries(JsonElement root) =>
        Panels(root).SelectMany(p => p.GetProperty("targets").EnumerateArray()
            .Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)));
}
