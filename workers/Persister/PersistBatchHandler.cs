using Likes.Shared.Consuming;
using Likes.Shared.Events;

namespace Likes.Persister;

/// <summary>
/// Persists a batch in stream order, segment by segment (<see cref="EventBatch.Segments"/>): likes and unlikes through
/// the group commit, one transaction with the other partitions' batches waiting at the same time, then the absolute
/// counts to Redis (only newer versions win); an erase, hide or show through <see cref="UserWideWriter"/>; a content deletion through <see cref="ContentDeletionWriter"/>. The counts
/// are read back on every delivery, so a crash between commit and that write loses nothing: the redelivery writes them again.
/// </summary>
public sealed class PersistBatchHandler(CommitGroup group, UserWideWriter userWide, ContentDeletionWriter deletions) : IEventBatchHandler
{
    public async Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        foreach (var segment in batch.Segments())
        {
            await (segment.Events[0].Action switch
            {
                LikeAction.Like or LikeAction.Unlike => group.CommitAsync(segment, cancellationToken),
                LikeAction.DeleteContent => deletions.ApplyAsync(segment, cancellationToken),
                _ => userWide.ApplyAsync(segment, cancellationToken),
            });
        }
    }
}
