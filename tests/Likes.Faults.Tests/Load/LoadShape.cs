namespace Likes.Faults.Tests.Load;

/// <summary>The mix of a scenario's load: reads among requests, unlikes among writes, retried writes (same Idempotency-Key).</summary>
public sealed record LoadShape(double ReadShare, double UnlikeShare, double RetryShare)
{
    public static LoadShape Default { get; } = new(ReadShare: 0.3, UnlikeShare: 0.3, RetryShare: 0);

    /// <summary>
    /// Clients that only read. A fault that holds every write until the publish timeout also holds the clients that
    /// write: reads during it come only from clients that do not.
    /// </summary>
    public int Readers { get; init; }

    /// <summary>Contents per feed-state read: a feed page.</summary>
    public const int PageSize = 10;
}
