using Likes.Shared.Bloom;

namespace Likes.Shared;

/// <summary>What Redis knows about whether a user likes each id of a page (<see cref="LikedStateProbe"/>).</summary>
public sealed record PageLikedState(TimelineState State, BloomFilterState Filter, IReadOnlyList<LikedAnswer> Answers);

/// <summary>Redis's answer for one id; the numbers are the probe script's.</summary>
public enum LikedAnswer
{
    /// <summary>Absent from a complete timeline: definitely not liked.</summary>
    AbsentFromComplete = 0,

    /// <summary>In the timeline: liked.</summary>
    InTimeline = 1,

    /// <summary>The Bloom filter says no: definitely not liked.</summary>
    FilterNo = 2,

    /// <summary>The Bloom filter says maybe: only PostgreSQL knows (liked, or a false positive).</summary>
    FilterMaybe = 3,

    /// <summary>No complete timeline and no filter: only PostgreSQL knows.</summary>
    Unknown = 4,
}
