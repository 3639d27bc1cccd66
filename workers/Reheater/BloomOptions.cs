using System.ComponentModel.DataAnnotations;
using Likes.Shared.Configuration;

namespace Likes.Reheater;

/// <summary>How the reheater sizes the Bloom filters of heavy users (more likes than the timeline holds).</summary>
public sealed class BloomOptions : ISectionOptions
{
    public static string SectionName => "Bloom";

    /// <summary>
    /// The rate at which a filter says "maybe" for an id the user never liked (each such answer costs a
    /// PostgreSQL query for the page). 1 % costs 9.6 bits per like; every halving adds about 1.4 bits.
    /// </summary>
    [Range(0.000001, 0.5)]
    public double FalsePositiveRate { get; set; } = 0.01;

    /// <summary>
    /// A filter is sized for the user's likes times this, so it takes new likes (the aggregator sets their
    /// bits) before it is overfull and rebuilt bigger: with 2, a rebuild at most each time a user doubles.
    /// </summary>
    [Range(1.0, 16.0)]
    public double Headroom { get; set; } = 2.0;
}
