namespace Likes.Shared.Ownership;

/// <summary>
/// This replica may no longer apply or ack the partition: its lease is not trusted any more, or a store found that
/// another replica applied the partition further. The partition's loop ends; nothing of the batch in hand is acked.
/// </summary>
public sealed class LeaseLostException(int partition, string reason, Exception? inner = null)
    : Exception($"partition {partition}: {reason}", inner)
{
    public int Partition => partition;

    public string Reason => reason;
}
