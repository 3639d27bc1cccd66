using Quartz;

namespace Likes.Reconciler.Jobs;

/// <summary>Quartz's handle on <see cref="RecentReconciliation"/>; never two at once in the whole cluster.</summary>
[DisallowConcurrentExecution]
public sealed class RecentReconciliationJob(RecentReconciliation reconciliation, RunLog log) : IJob
{
    public static readonly JobKey Key = new("recent", "reconciler");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var report = await reconciliation.RunAsync(cancellationToken);
        log.Add(report);
    }
}
