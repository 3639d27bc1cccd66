using Likes.Reconciler.Jobs;
using Microsoft.Extensions.Options;
using Quartz;

namespace Likes.Reconciler;

/// <summary>
/// The two triggers, defined once from <see cref="ReconcilerOptions"/>. Misfire: a run missed (every replica
/// down, or the scheduler stalled past <c>MisfireThreshold</c>) runs once, at once, and the schedule resumes
/// (<see cref="CronTriggerMisfireInstruction.FireAndProceed"/>): catching up N missed runs would repeat the
/// same work N times, and skipping them (<c>DoNothing</c>) would leave drift standing until the next slot.
/// </summary>
public static class ReconcilerSchedule
{
    public static readonly TriggerKey Recent = new("recent", "reconciler");

    public static readonly TriggerKey Full = new("full", "reconciler");

    public static void Define<T>(ITriggerConfigurator<T> trigger, TriggerKey key, ReconcilerOptions options)
        where T : IJob
        => trigger.WithIdentity(key)
            .WithCronSchedule(CronOf(key, options), c => c
                .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone))
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));

    public static string CronOf(TriggerKey key, ReconcilerOptions options) => key.Equals(Recent) ? options.RecentCron : options.FullCron;
}

/// <summary>
/// Replaces a stored trigger only when its definition changed. Quartz is told to keep stored triggers
/// (<c>IgnoreDuplicates</c>): re-applying an unchanged trigger at every start would throw away its next fire
/// time, so a run missed while every replica was down would never happen. A changed cron or time zone is
/// applied here instead, starting afresh.
/// </summary>
public sealed partial class ScheduleSync(ISchedulerFactory schedulers, IOptions<ReconcilerOptions> options, ILogger<ScheduleSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var o = options.Value;
        foreach (var (key, job) in new[] { (ReconcilerSchedule.Recent, RecentReconciliationJob.Key), (ReconcilerSchedule.Full, FullAuditJob.Key) })
        {
            if (await scheduler.GetTrigger(key, cancellationToken) is not ICronTrigger stored
                || (stored.CronExpressionString == ReconcilerSchedule.CronOf(key, o)
                    && stored.TimeZone.Id == o.TimeZone
                    && stored.MisfireInstruction == CronTriggerMisfireInstruction.FireAndProceed))
            {
                continue;
            }

            var replacement = TriggerBuilder.Create().ForJob(job);
            ReconcilerSchedule.Define(replacement, key, o);
            await scheduler.RescheduleJob(key, replacement.Build(), cancellationToken);
            Rescheduled(logger, key.Name, stored.CronExpressionString ?? "", ReconcilerSchedule.CronOf(key, o));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Schedule of {Trigger} changed from '{Old}' to '{New}'; rescheduled")]
    private static partial void Rescheduled(ILogger logger, string trigger, string old, string @new);
}
