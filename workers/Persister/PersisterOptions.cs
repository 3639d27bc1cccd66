using System.ComponentModel.DataAnnotations;
using Likes.Shared.Configuration;

namespace Likes.Persister;

public sealed class PersisterOptions : ISectionOptions
{
    public static string SectionName => "Persister";

    /// <summary>
    /// How long the counter write to Redis after a commit may take. Past it (Redis down) the batch is
    /// acked anyway: PostgreSQL has it, and the reconciler re-derives the counters from it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan CounterWriteTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most events one group transaction takes from the partitions' waiting batches.</summary>
    [Range(1, 100_000)]
    public int MaxGroupEvents { get; set; } = 8000;
}
