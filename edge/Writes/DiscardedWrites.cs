using Likes.Shared.Events;

namespace Likes.Edge.Writes;

/// <summary>
/// <see cref="WritePath.Discard"/>: answers every valid write 202 and keeps nothing. Everything before the write path
/// still runs (Kestrel, JWT validation, id and key validation, the per-user rate limit, the deleted-content check), so
/// the benchmarks measure the HTTP front's own ceiling with it. Development only (<see cref="Options.WritePathValidation"/>).
/// </summary>
public sealed class DiscardedWrites : ILikeWrites
{
    public Task<PublishOutcome> WriteAsync(long userId, long contentId, LikeAction action, string? idempotencyKey, CancellationToken requestAborted)
        => Task.FromResult(PublishOutcome.Accepted);
}
