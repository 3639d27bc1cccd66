namespace Likes.Shared.Bloom;

/// <summary>A user's Bloom filter as a reader finds it in Redis.</summary>
public enum BloomFilterState
{
    /// <summary>No filter: never built (the timeline is complete or was never rebuilt), or evicted.</summary>
    Missing = 0,

    /// <summary>Holds no more ids than it was sized for: answers at its false-positive rate.</summary>
    Fit = 1,

    /// <summary>The user liked more since it was built than it was sized for: still right, but "maybe" more often; the reheater builds a bigger one.</summary>
    Overfull = 2,
}
