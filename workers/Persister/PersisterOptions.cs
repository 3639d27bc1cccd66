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

    /// <summary>
    /// How stale a count row's <c>touched_at</c> (the indexed column the reconciler finds recently changed
    /// contents by) may get before an update moves it. Most updates of a busy row then change no indexed
    /// column and are done in place (HOT). The reconciler's WatermarkMargin must stay above it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan TouchedAtResolution { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The least time between the starts of two group transactions. Batches handed in meanwhile go in the next
    /// one, so a content liked in a burst gets one counter write per interval, not one per partition batch;
    /// a count shows up to this much later (the contract allows a second).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MinGroupInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The least time between two writes of one content's counter to Redis: a hot content's key takes at most one
    /// write per interval however fast it is liked; its count shows up to this much (and a fifth more) after its commit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:01")]
    public TimeSpan CounterWriteInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most events one group transaction takes from the partitions' waiting batches.</summary>
    [Range(1, 100_000)]
    public int MaxGroupEvents { get; set; } = 8000;

    /// <summary>
    /// The most likes one transaction of an erase, hide or show changes: the locks it holds and the time it stalls the
    /// partitions committing beside it stay bounded, whatever the user's number of likes.
    /// </summary>
    [Range(1, 1_000_000)]
    public int UserWideChunk { get; set; } = 5000;

    /// <summary>How long the change relay waits, when the outbox is empty, before it looks again: the change stream's lag when idle.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan ChangeRelayInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The most changes the relay publishes and deletes in one transaction.</summary>
    [Range(1, 100_000)]
    public int ChangeRelayBatch { get; set; } = 2000;
}
