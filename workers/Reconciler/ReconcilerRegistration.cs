using Likes.Reconciler.Jobs;
using Likes.Shared;
using Likes.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Quartz;

namespace Likes.Reconciler;

public static class ReconcilerRegistration
{
    /// <summary>The Quartz scheduler's name: the cluster is every scheduler of this name on one database.</summary>
    public const string SchedulerName = "likes-reconciler";

    /// <summary>
    /// The reconciler daemon: the reconciliation services, run by a Quartz scheduler clustered over
    /// PostgreSQL (so each run happens on one replica), ready once that scheduler runs.
    /// </summary>
    public static IHostApplicationBuilder AddReconciler(this IHostApplicationBuilder builder)
    {
        builder.AddReconciliation();
        builder.Services.AddSingleton<RunLog>();
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                // On shutdown a running audit is asked to stop at its next round trip, then waited for
                // (WaitForJobsToComplete): a rolling restart is not held up by a long audit, nothing is cut mid-write.
                s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            q.UseDefaultThreadPool(2);
            q.UsePersistentStore(store =>
            {
                // The daemon's own pool (application name likes-reconciler) rather than a second one.
                store.UsePostgres(pg => pg.DataSourceFactory = sp => sp.GetRequiredService<NpgsqlDataSource>());
                store.UseClustering();
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(s => s.MisfireThreshold = builder.Configuration.GetSection(ReconcilerOptions.SectionName)
                    .GetValue(nameof(ReconcilerOptions.MisfireThreshold), new ReconcilerOptions().MisfireThreshold));
            });
            q.ScheduleJob<RecentReconciliationJob>(
                (sp, trigger) => ReconcilerSchedule.Define(trigger, ReconcilerSchedule.Recent, sp.GetOptions<ReconcilerOptions>()),
                (_, job) => job.WithIdentity(RecentReconciliationJob.Key).WithDescription("Redis counters of recently changed contents vs PostgreSQL"));
            q.ScheduleJob<FullAuditJob>(
                (sp, trigger) => ReconcilerSchedule.Define(trigger, ReconcilerSchedule.Full, sp.GetOptions<ReconcilerOptions>()),
                (_, job) => job.WithIdentity(FullAuditJob.Key).WithDescription("Every count row vs COUNT(*) of likes, and every Redis counter"));
        });

        // Stored triggers are kept as they are (with their next fire time, so missed runs misfire as they should);
        // ScheduleSync replaces one whose definition changed.
        builder.Services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
        builder.Services.AddHostedService<ScheduleSync>();
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// What both the daemon and the <c>reconcile</c> command are made of: the stores and the two services,
    /// without a scheduler.
    /// </summary>
    public static IHostApplicationBuilder AddReconciliation(this IHostApplicationBuilder builder)
    {
        builder.AddLikesPostgres("reconciler");
        builder.AddLikesRedis("reconciler");
        builder.Services.AddSectionOptions<ReconcilerOptions>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CounterStore>();
        builder.Services.AddSingleton<ReconcilerMetrics>();
        builder.Services.AddSingleton<ReconcilerState>();
        builder.Services.AddSingleton<CounterCheck>();
        builder.Services.AddSingleton<TimelineAudit>();
        builder.Services.AddSingleton<RecentReconciliation>();
        builder.Services.AddSingleton<FullAudit>();
        return builder;
    }
}
