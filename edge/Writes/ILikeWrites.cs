using Likes.Shared.Events;

namespace Likes.Edge.Writes;

/// <summary>Makes one like or unlike of the caller durable (<see cref="WritePath"/> says how); the write endpoints answer from its outcome.</summary>
public interface ILikeWrites
{
    Task<PublishOutcome> WriteAsync(long userId, long contentId, LikeAction action, string? idempotencyKey, CancellationToken requestAborted);
}
