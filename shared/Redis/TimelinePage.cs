namespace Likes.Shared;

/// <summary>
/// A page of a user's timeline, newest first (like time, then content id, both descending and numerically),
/// the timeline's state, and whether the timeline holds more likes after the page's last one.
/// </summary>
public sealed record TimelinePage(TimelineState State, IReadOnlyList<(long ContentId, long LikedAtMs)> Items, bool HasMore);
