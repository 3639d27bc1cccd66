using Likes.Shared;

namespace Likes.Reconciler;

/// <summary>What a Redis counter, read before the PostgreSQL count row, says about that row.</summary>
public enum CounterVerdict
{
    /// <summary>Same version, same count.</summary>
    InSync,

    /// <summary>No counter: not drift; the edge reads it through from PostgreSQL.</summary>
    Missing,

    /// <summary>An older version, and the row changed within the grace period: the persister's write is on its way.</summary>
    Lag,

    /// <summary>An older version, and the row changed longer ago than the grace period: the write after the commit was lost.</summary>
    LostWrite,

    /// <summary>The row's version with another count: never written legitimately.</summary>
    WrongCount,

    /// <summary>A version PostgreSQL has not reached: impossible, Redis is only written after a commit.</summary>
    VersionAhead,

    /// <summary>Not <c>count:version</c> at all.</summary>
    Unreadable,
}

/// <summary>What the reconciler does about a verdict.</summary>
public enum CounterRepair
{
    /// <summary>In sync: nothing.</summary>
    None,

    /// <summary>No counter: counted, not written (the edge loads it from PostgreSQL on its first read).</summary>
    ReadThrough,

    /// <summary>Behind within the grace: not drift; moved forward with set-if-newer, as the persister would.</summary>
    MoveForward,

    /// <summary>Drift a lost write explains: restored with set-if-newer (a newer write that lands first wins).</summary>
    Restore,

    /// <summary>Drift no legitimate write explains: replaced only if Redis still holds what was read (compare-and-set).</summary>
    Replace,
}

/// <summary>The PostgreSQL side of a comparison: the count row, and whether it changed longer ago than the grace period.</summary>
public readonly record struct CountRow(long ContentId, CounterValue Value, bool Settled);

public static class CounterVerdicts
{
    /// <summary>
    /// Classifies a counter read from Redis <em>before</em> its count row was read from PostgreSQL. That order is
    /// what makes this sound: Redis only ever receives a (count, version) pair PostgreSQL committed earlier, and
    /// the row's version only grows, so anything legitimate in Redis is at or behind the row read after it, and
    /// equal versions mean equal counts. Whatever is not that is drift.
    /// </summary>
    public static CounterVerdict Classify(string? redis, CountRow row)
    {
        if (redis is null)
        {
            return CounterVerdict.Missing;
        }

        if (!CounterValue.TryParse(redis, out var cached))
        {
            return CounterVerdict.Unreadable;
        }

        if (cached.Version < row.Value.Version)
        {
            return row.Settled ? CounterVerdict.LostWrite : CounterVerdict.Lag;
        }

        if (cached.Version > row.Value.Version)
        {
            return CounterVerdict.VersionAhead;
        }

        return cached.Count == row.Value.Count ? CounterVerdict.InSync : CounterVerdict.WrongCount;
    }

    /// <summary>
    /// The drift policy, in one place: what is merely behind is moved forward with the set-if-newer every writer uses;
    /// what a lost write explains is restored the same way; what the counter cannot have reached legitimately is
    /// replaced only if it still holds what was read (a compare-and-set), so a write that landed since wins.
    /// </summary>
    public static CounterRepair RepairOf(this CounterVerdict verdict) => verdict switch
    {
        CounterVerdict.InSync => CounterRepair.None,
        CounterVerdict.Missing => CounterRepair.ReadThrough,
        CounterVerdict.Lag => CounterRepair.MoveForward,
        CounterVerdict.LostWrite => CounterRepair.Restore,
        _ => CounterRepair.Replace,
    };

    /// <summary>Whether the repair mends drift (counted and reported as such), not lag.</summary>
    public static bool IsDrift(this CounterRepair repair) => repair is CounterRepair.Restore or CounterRepair.Replace;

    public static string Describe(this CounterVerdict verdict) => verdict switch
    {
        CounterVerdict.InSync => "in sync",
        CounterVerdict.Missing => "missing (read through)",
        CounterVerdict.Lag => "lag",
        CounterVerdict.LostWrite => "lost write",
        CounterVerdict.WrongCount => "wrong count at the same version",
        CounterVerdict.VersionAhead => "version ahead of PostgreSQL",
        CounterVerdict.Unreadable => "unreadable value",
        _ => verdict.ToString(),
    };
}
