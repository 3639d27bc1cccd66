namespace Likes.Shared;

/// <summary>What a timeline knows about the user's likes, kept in its <see cref="TimelineSentinel"/>.</summary>
public enum TimelineState
{
    /// <summary>No timeline in Redis: only PostgreSQL knows.</summary>
    Missing = 0,

    /// <summary>Built from PostgreSQL and never trimmed: holds every like of the user; absence is a definite "no".</summary>
    Complete = 1,

    /// <summary>Holds the newest N likes; older ones exist elsewhere (Bloom filter, PostgreSQL).</summary>
    Truncated = 2,

    /// <summary>Started from the stream without a rebuild: what is here is liked, absence is unknown.</summary>
    Partial = 3,
}
