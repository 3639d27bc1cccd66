using System.ComponentModel.DataAnnotations;
using Likes.Shared.Configuration;
using Quartz;

namespace Likes.Reconciler;

/// <summary>The reconciler's schedules and bounds (section <c>Reconciler</c>).</summary>
public sealed class ReconcilerOptions : ISectionOptions, IValidatableObject
{
    public static string SectionName => "Reconciler";

    /// <summary>When the recent reconciliation runs (Quartz cron, seconds first). Default: every minute.</summary>
    [Required]
    public string RecentCron { get; set; } = "0 * * * * ?";

    /// <summary>When the full audit runs. Default: daily at 03:30 in <see cref="TimeZone"/>.</summary>
    [Required]
    public string FullCron { get; set; } = "0 30 3 * * ?";

    /// <summary>The time zone the cron expressions are read in (IANA id).</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// How long after a count row changed a Redis counter may still be behind it as ordinary lag (the
    /// persister writes Redis right after its commit). Older than this, a counter behind is a lost write.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Contents compared per step of the recent reconciliation (one pipelined Redis read, one query).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Content ids per keyset step of the full audit.</summary>
    [Range(1, 1_000_000)]
    public int FullAuditBatch { get; set; } = 10_000;

    /// <summary>Pause between two steps of the full audit, to bound its load on PostgreSQL.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FullAuditPause { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Subtracted from the last successful run's watermark. A count row's <c>touched_at</c> is a
    /// transaction's start and may lag the row's last change by up to the persister's
    /// <c>TouchedAtResolution</c>: keep this above that resolution plus the longest persister transaction,
    /// or a change could be missed by the next run (the daily full audit still finds it).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WatermarkMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far back the very first recent run looks, when no watermark is stored yet.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan FirstRunLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How late a scheduled run may start before it counts as missed (then it runs once, at once).</summary>
    /// <summary>Timelines the recent job samples and compares with PostgreSQL each run (0: none).</summary>
    [Range(0, 10_000)]
    public int TimelineSample { get; set; } = 100;

    /// <summary>The most of a sampled user's likes read from PostgreSQL (newest first) to compare with their timeline and filter.</summary>
    [Range(1, 1_000_000)]
    public int TimelineAuditLikes { get; set; } = 10_000;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, expression) in new[] { (nameof(RecentCron), RecentCron), (nameof(FullCron), FullCron) })
        {
            if (!CronExpression.TryParse(expression, out _))
            {
                yield return new ValidationResult($"Reconciler:{name} ('{expression}') is not a valid Quartz cron expression.", [name]);
            }
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Reconciler:TimeZone ('{TimeZone}') is not a known time zone id.", [nameof(TimeZone)]);
        }
    }
}
