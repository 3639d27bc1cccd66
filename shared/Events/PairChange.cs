namespace Likes.Shared.Events;

/// <summary>
/// The net effect of a batch on one (user, content). For a like, <see cref="AtMs"/> is the time of the first
/// like since the pair was last unliked (a repeated like keeps its original time), and <see cref="Relike"/>
/// says the batch unliked the pair before that: the like replaces any earlier one and its time.
/// </summary>
public readonly record struct PairChange(long UserId, long ContentId, LikeAction Action, long AtMs, bool Relike = false);
