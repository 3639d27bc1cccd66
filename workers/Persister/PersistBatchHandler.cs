using Likes.Shared.Consuming;

namespace Likes.Persister;

/// <summary>
/// Persists a batch through the group commit: one transaction with the other partitions' batches waiting
/// at the same time, then the absolute counts to Redis (only newer versions win). The counts are read back
/// on every delivery, so a crash between commit and that write loses nothing: the redelivery writes them again.
/// </summary>
public sealed class PersistBatchHandler(CommitGroup group) : IEventBatchHandler
{
    public Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken) => group.CommitAsync(batch, cancellationToken);
}
