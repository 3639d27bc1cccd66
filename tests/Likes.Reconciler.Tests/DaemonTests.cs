using System.Net;
using Likes.Fixtures;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>The daemon as operators see it: readiness includes the scheduler, and the metrics are exported.</summary>
public class DaemonTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private readonly Stack _stack = new(fixture);

    [Fact]
    public async Task TheDaemon_IsReadyWithItsSchedulerRunning_AndExportsItsMetrics()
    {
        await using var daemon = await _stack.DaemonAsync(new Dictionary<string, string?> { ["Reconciler:RecentCron"] = "* * * * * ?" });
        using var http = new HttpClient { BaseAddress = daemon.BaseAddress };

        var ready = await Eventually.UntilAsync(() => http.GetAsync("/healthz/ready"), r => r.StatusCode == HttpStatusCode.OK, what: "ready");
        Assert.Contains("\"scheduler\":{\"status\":\"Healthy\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Eventually.UntilAsync(() => Task.FromResult(daemon.Get<RunLog>().Runs(RecentReconciliation.Job) >= 1), what: "a scheduled run");
        string[] names =
        [
            "likes_reconciler_checked_total{job=\"recent\"}",
            "likes_reconciler_lag_seen_total",
            "likes_reconciler_drift_found_total{store=\"redis\"}",
            "likes_reconciler_drift_found_total{store=\"postgres\"}",
            "likes_reconciler_repaired_total{store=\"redis\"}",
            "likes_reconciler_repaired_total{store=\"postgres\"}",
            "likes_reconciler_run_seconds_bucket{job=\"recent\"",
            "likes_reconciler_last_success_timestamp_seconds{job=\"recent\"}",
            // Published by the readiness publisher every few seconds, so awaited rather than expected at once.
            "likes_dependency_up{dependency=\"scheduler\"} 1",
        ];
        var metrics = await Eventually.UntilAsync(() => http.GetStringAsync("/metrics"),
            text => names.All(n => text.Contains(n, StringComparison.Ordinal)), what: "every reconciler metric exported");
        Assert.All(names, n => Assert.Contains(n, metrics, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadSchedule_StopsTheDaemonAtStart_NamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => _stack.DaemonAsync(new Dictionary<string, string?> { ["Reconciler:RecentCron"] = "every minute please" }));
        Assert.Contains("Reconciler:RecentCron", failure.Message, StringComparison.Ordinal);
    }
}
