using System.ComponentModel.DataAnnotations;
using Likes.Shared.Configuration;

namespace Likes.Shared.Ownership;

/// <summary>How worker replicas share the partitions: leases in the stream server's key-value store.</summary>
public sealed class LeaseOptions : ISectionOptions, IValidatableObject
{
    public static string SectionName => "Lease";

    /// <summary>
    /// How long a lease (and a replica's membership) lasts without renewal: the longest a dead or paused holder keeps
    /// its partitions from a successor. The holder itself stops applying after half of it without a renewal.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How often a replica renews its membership and leases, and claims or hands over partitions.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan Renew { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the holder trusts a lease after the start of its last renewal: half the TTL.</summary>
    public TimeSpan Trust => Ttl / 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Renew * 2 > Trust)
        {
            yield return new ValidationResult(
                $"Lease:Renew ({Renew}) must be at most a quarter of Lease:Ttl ({Ttl}): a holder renews twice before it stops trusting a lease.",
                [nameof(Renew)]);
        }
    }
}
