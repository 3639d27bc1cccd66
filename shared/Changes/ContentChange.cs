namespace Likes.Shared.Changes;

/// <summary>
/// One net change the persister committed, as the change stream carries it (docs/api.md, "The change stream"):
/// <see cref="ChangeId"/> is stable (the outbox row's id, also the message id), <see cref="Count"/> and
/// <see cref="Version"/> are the content's after the change. A content deletion names no user (0).
/// </summary>
public sealed record ContentChange(long ChangeId, ChangeKind Kind, long UserId, long ContentId, long Count, long Version, DateTimeOffset At);

public enum ChangeKind
{
    Liked,
    Unliked,
    Erased,
    ContentDeleted,
}
