namespace Likes.Faults.Tests.Load;

/// <summary>The mix of a scenario's load: reads among requests, unlikes among writes, retried writes (same Idempotency-Key).</summary>
public sealed record LoadShape(double ReadShare, double UnlikeShare, double RetryShare)
{
    public static LoadShape Default { get; } = new(ReadShare: 0.3, UnlikeShare: 0.3, RetryShare: 0);

    /// <summary>Contents per feed-state read: a feed page.</summary>
    public const int PageSize = 10;
}
