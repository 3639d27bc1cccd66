namespace Likes.Shared;

/// <summary>
/// A page of a user's timeline, newest first (like time, then content id, both descending and numerically),
/// the timeline's state, whether the timeline holds more likes after the page's last one, and the time of
/// the oldest like the timeline holds (null when it holds none).
/// </summary>
/// <remarks>
/// Unless the timeline is complete, its oldest time may be held only in part: trimming to N removes
/// members by rank, and Redis ranks equal times by the members' bytes, not numerically; a partial timeline
/// may also share its oldest millisecond with likes from before it started. Likes at a later time are all
/// there. <see cref="Trusted"/> is the part of the page a reader may answer without asking PostgreSQL.
/// </remarks>
public sealed record TimelinePage(TimelineState State, IReadOnlyList<(long ContentId, long LikedAtMs)> Items, bool HasMore, long? OldestLikedAtMs)
{
    /// <summary>The items that are exactly the user's next likes: all of a complete timeline's, otherwise those newer than its oldest time.</summary>
    public IReadOnlyList<(long ContentId, long LikedAtMs)> Trusted
        => State == TimelineState.Complete || OldestLikedAtMs is not { } oldest
            ? Items
            : [.. Items.TakeWhile(i => i.LikedAtMs > oldest)];
}
