using System.Globalization;
using System.Text;

namespace Likes.Reconciler;

public static class Stores
{
    public const string Redis = "redis";
    public const string Postgres = "postgres";
    public const string Timeline = "timeline";
}

/// <summary>One drifted content, as the report names it (the first few of a run are kept).</summary>
public sealed record Finding(long ContentId, string Store, string Kind, string Found, string Truth, bool Repaired);

/// <summary>
/// What one run checked, found and repaired. Counting goes through here, so the metrics and the printed
/// report can never disagree. One run fills it from one flow; it is not shared between runs.
/// </summary>
public sealed class ReconcileReport(string job, ReconcilerMetrics? metrics = null)
{
    public const int MaxFindings = 20;

    private readonly List<Finding> _findings = [];

    public string Job => job;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>For the recent job: count rows changed after this time were checked.</summary>
    public DateTimeOffset? Since { get; set; }

    public long Checked { get; private set; }

    public long RedisMissing { get; private set; }

    public long Lag { get; private set; }

    /// <summary>Lagging counters moved forward anyway (set-if-newer: harmless, and saves the edge a read-through).</summary>
    public long LagForwarded { get; private set; }

    public long RedisDrift { get; private set; }

    public long RedisRepaired { get; private set; }

    public long PostgresDrift { get; private set; }

    public long PostgresRepaired { get; private set; }

    /// <summary>Counters rewritten after their count row was repaired.</summary>
    public long RedisFollowed { get; private set; }

    /// <summary>Repairs not made because a newer legitimate value got there first (which is the point of the guard).</summary>
    public long Superseded { get; private set; }

    public IReadOnlyList<Finding> Findings => _findings;

    public long FindingsOmitted { get; private set; }

    /// <summary>Timelines sampled and compared with PostgreSQL (the recent job).</summary>
    public long TimelinesChecked { get; private set; }

    public long TimelineDrift { get; private set; }

    public long TimelineRepaired { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public bool Completed { get; private set; }

    /// <summary>Drift still standing at the end: found, and neither repaired nor overtaken by a newer write.</summary>
    public long Unrepaired => RedisDrift + PostgresDrift + TimelineDrift - RedisRepaired - PostgresRepaired - TimelineRepaired - Superseded;

    internal void AddChecked(long contents)
    {
        Checked += contents;
        metrics?.Checked(job, contents);
    }

    internal void AddMissing(long contents) => RedisMissing += contents;

    internal void AddTimelinesChecked(long timelines) => TimelinesChecked += timelines;

    internal void AddLag(long forwarded)
    {
        Lag++;
        LagForwarded += forwarded;
        metrics?.LagSeen();
    }

    internal void AddDrift(Finding finding)
    {
        _ = finding.Store switch
        {
            Stores.Redis => RedisDrift++,
            Stores.Timeline => TimelineDrift++,
            _ => PostgresDrift++,
        };
        metrics?.DriftFound(finding.Store);
        if (finding.Repaired)
        {
            AddRepaired(finding.Store);
        }
        else
        {
            Superseded++;
        }

        if (_findings.Count < MaxFindings)
        {
            _findings.Add(finding);
        }
        else
        {
            FindingsOmitted++;
        }
    }

    internal void AddFollowed(long counters) => RedisFollowed += counters;

    internal void Complete(TimeSpan elapsed)
    {
        Elapsed = elapsed;
        Completed = true;
        metrics?.Succeeded(job, elapsed);
    }

    internal void Fail(TimeSpan elapsed)
    {
        Elapsed = elapsed;
        metrics?.Failed(job, elapsed);
    }

    private void AddRepaired(string store)
    {
        _ = store switch
        {
            Stores.Redis => RedisRepaired++,
            Stores.Timeline => TimelineRepaired++,
            _ => PostgresRepaired++,
        };
        metrics?.Repaired(store);
    }

    /// <summary>The short report an operator reads after <c>reconcile</c>.</summary>
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var what = job == FullAudit.Job ? "full audit (every content)" : "recent contents";
        text.Append(c, $"reconcile {what}: {Checked:N0} contents checked");
        if (Since is { } since)
        {
            text.Append(c, $" (count rows changed since {since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})");
        }

        text.Append(c, $" in {Elapsed.TotalSeconds:F1} s\n");
        if (job == FullAudit.Job)
        {
            text.Append(c, $"  postgres  drift {PostgresDrift:N0} (count row vs COUNT(*) of likes), repaired {PostgresRepaired:N0}; redis counters rewritten after them: {RedisFollowed:N0}\n");
        }
        else
        {
            text.Append("  postgres  not audited by this job (./likes reconcile --full compares count rows with COUNT(*))\n");
        }

        text.Append(c, $"  redis     drift {RedisDrift:N0}, repaired {RedisRepaired:N0}; lag {Lag:N0} (behind by less than the grace period: not drift); missing {RedisMissing:N0} (read through: not drift)\n");
        if (job == RecentReconciliation.Job)
        {
            text.Append(c, $"  timelines {TimelinesChecked:N0} sampled, drift {TimelineDrift:N0} (still differing from PostgreSQL after the grace period), repaired {TimelineRepaired:N0} (deleted: rebuilt from PostgreSQL on the next read)\n");
        }

        if (Superseded > 0)
        {
            text.Append(c, $"  {Superseded:N0} repair(s) not needed: a newer value arrived first\n");
        }

        foreach (var f in _findings)
        {
            text.Append(c, $"  {(f.Store == Stores.Timeline ? "user" : "content")} {f.ContentId}: {f.Store} {f.Kind}: found {f.Found}, truth {f.Truth}{(f.Repaired ? ", repaired" : ", newer value arrived first")}\n");
        }

        if (FindingsOmitted > 0)
        {
            text.Append(c, $"  … and {FindingsOmitted:N0} more\n");
        }

        var drift = RedisDrift + PostgresDrift + TimelineDrift;
        text.Append(drift == 0
            ? "result: no drift\n"
            : string.Create(c, $"result: {drift:N0} drifted, {RedisRepaired + PostgresRepaired + TimelineRepaired:N0} repaired{(Unrepaired > 0 ? string.Create(c, $", {Unrepaired:N0} NOT repaired") : string.Empty)}\n"));
        return text.ToString();
    }
}
