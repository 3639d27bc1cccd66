using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Likes.Reconciler;

/// <summary>Ready only while the scheduler runs: built, started and not stood down or shutting down.</summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"instance {scheduler.SchedulerInstanceId}")
            : HealthCheckResult.Unhealthy($"scheduler {scheduler.Status}");
    }
}
