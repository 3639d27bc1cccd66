namespace Likes.Shared.Events;

/// <summary>
/// One accepted like or unlike, as the edge publishes it and every consumer reads it.
/// <paramref name="AcceptedAtMs"/> is Unix milliseconds at the edge; it becomes the like time.
/// </summary>
public readonly record struct LikeEvent(
    Guid EventId,
    long UserId,
    long ContentId,
    LikeAction Action,
    long AcceptedAtMs)
{
    public DateTimeOffset AcceptedAt => DateTimeOffset.FromUnixTimeMilliseconds(AcceptedAtMs);
}
