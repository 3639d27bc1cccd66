using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Likes.Shared.Streams;

namespace Likes.Fixtures;

/// <summary>
/// Batches handed straight to a handler, as the consumer loop would: stream positions of one test epoch, recorded for a
/// partition no consumer loop of a test stream owns (a host under test may run its loops beside them).
/// </summary>
public sealed class Batches
{
    public const long Epoch = 1;

    public const int Partition = 1000;

    private ulong _through;

    /// <summary>The next contiguous run: its events take the sequences after the previous batch's.</summary>
    public EventBatch Next(params LikeEvent[] events) => At(_through += (ulong)events.Length, events);

    /// <summary>A run whose last event is at stream sequence <paramref name="through"/>, its first right after where the loop stood.</summary>
    public static EventBatch At(ulong through, IReadOnlyList<LikeEvent> events, int partition = Partition)
        => new(partition, events, new EventPosition(Epoch, through), new EventPosition(Epoch, through - (ulong)events.Count),
            [.. Enumerable.Range(1, events.Count).Select(i => through - (ulong)events.Count + (ulong)i)]);
}
