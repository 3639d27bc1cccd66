using Likes.Shared.Events;
using Likes.Shared.Streams;

namespace Likes.Shared.Consuming;

/// <summary>
/// Decoded events of one partition, in stream order, handed to a worker's handler: a contiguous run of the
/// partition, so applying it leaves each pair as its last event says. <see cref="Position"/> is the stream
/// position of the run's last event: stores record it with the effects to know how far they reflect the stream.
/// <see cref="After"/> is where the loop stood before the run: a store that finds its recorded position beyond it
/// knows another replica applied the partition further, and refuses the batch (a fence). <see cref="Sequences"/>
/// holds each event's stream sequence.
/// </summary>
public sealed record EventBatch(int Partition, IReadOnlyList<LikeEvent> Events, EventPosition Position, EventPosition After, IReadOnlyList<ulong> Sequences)
{
    /// <summary>
    /// The batch cut at its barriers (erase, hide, show, delete content: <see cref="LikeActions"/>), in order: runs of
    /// likes and unlikes, and barriers one at a time, each a batch whose position is its last event's (the last one's,
    /// the batch's) and whose <see cref="After"/> is the one before it. Applied one after the other, they leave what
    /// the events applied one by one would. A batch without barriers is one segment: itself.
    /// </summary>
    public IEnumerable<EventBatch> Segments()
    {
        if (Events.All(e => e.Action.ChangesAPair()))
        {
            yield return this;
            yield break;
        }

        var runs = new List<(int From, int Count)>();
        var start = 0;
        for (var i = 0; i < Events.Count; i++)
        {
            if (!Events[i].Action.ChangesAPair())
            {
                if (i > start)
                {
                    runs.Add((start, i - start));
                }

                runs.Add((i, 1));
                start = i + 1;
            }
        }

        if (start < Events.Count)
        {
            runs.Add((start, Events.Count - start));
        }

        var after = After;
        for (var k = 0; k < runs.Count; k++)
        {
            var (from, count) = runs[k];
            var position = k == runs.Count - 1 ? Position : new EventPosition(Position.Epoch, Sequences[from + count - 1]);
            yield return this with { Events = Slice(Events, from, count), Sequences = Slice(Sequences, from, count), Position = position, After = after };
            after = position;
        }
    }

    private static T[] Slice<T>(IReadOnlyList<T> items, int from, int count) => [.. items.Skip(from).Take(count)];
}
