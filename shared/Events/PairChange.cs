namespace Likes.Shared.Events;

/// <summary>The net effect of a batch on one (user, content): its last action, and when that like happened.</summary>
public readonly record struct PairChange(long UserId, long ContentId, LikeAction Action, long AtMs);
