namespace Likes.Shared.Consuming;

/// <summary>
/// What a worker does with a batch: apply its side effects, idempotently (redelivery is normal).
/// It never acks: the loop acks after it returns. It throws to say the batch was not applied.
/// </summary>
public interface IEventBatchHandler
{
    Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken);
}
