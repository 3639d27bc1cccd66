namespace Likes.Shared;

/// <summary>What a timeline rebuild does to the user's Bloom filter, in the same atomic step.</summary>
public enum FilterChange
{
    /// <summary>The timeline is complete: absence already says "no", a filter would only cost memory.</summary>
    Drop,

    /// <summary>The filter in Redis still holds every like of the user (a superset of them): leave it.</summary>
    Keep,

    /// <summary>Put the filter the rebuild staged in place of the old one (or of none).</summary>
    Swap,
}
