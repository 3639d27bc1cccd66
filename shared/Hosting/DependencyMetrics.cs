using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace Likes.Shared;

/// <summary>
/// Publishes each readiness check as <c>likes_dependency_up{dependency}</c> (1 up, 0 down) every few seconds, so
/// alerts can say which dependency is down without scraping health endpoints. One metric for every daemon: the
/// scrape target's <c>component</c> label says which daemon reports it, so the name never carries it.
/// </summary>
public sealed class DependencyMetrics : IHealthCheckPublisher
{
    private readonly Gauge _up = Metrics.CreateGauge("likes_dependency_up",
        "1 when the dependency's readiness check passes, 0 when it fails.", "dependency");

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        foreach (var (name, entry) in report.Entries)
        {
            _up.WithLabels(name).Set(entry.Status == HealthStatus.Healthy ? 1 : 0);
        }

        return Task.CompletedTask;
    }
}
