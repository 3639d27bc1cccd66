using Quartz;

namespace Likes.Reconciler.Jobs;

/// <summary>Quartz's handle on <see cref="FullAudit"/>; never two at once in the whole cluster.</summary>
[DisallowConcurrentExecution]
public sealed class FullAuditJob(FullAudit audit, RunLog log) : IJob
{
    public static readonly JobKey Key = new("full", "reconciler");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var report = await audit.RunAsync(cancellationToken);
        log.Add(report);
    }
}
