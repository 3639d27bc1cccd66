using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Likes.Shared.Streams;
using Xunit;

namespace Likes.Shared.Tests;

public class EventBatchSegmentsTests
{
    [Fact]
    public void ABatchOfLikesAndUnlikes_IsOneSegment_Itself()
    {
        var batch = Batch("LULL");

        Assert.Same(batch, Assert.Single(batch.Segments()));
    }

    [Fact]
    public void Barriers_StandAlone_InStreamOrder_EachStartingWhereTheOneBeforeEnded()
    {
        var batch = Batch("LLEUHDLS");

        var segments = batch.Segments().ToList();

        Assert.Equal(["LL", "E", "U", "H", "D", "L", "S"], segments.Select(s => string.Concat(s.Events.Select(e => e.Action.Letter()))));
        Assert.Equal([102UL, 103, 104, 105, 106, 107, 108], segments.Select(s => s.Position.Sequence));
        Assert.Equal(new EventPosition(7, 100), segments[0].After);
        Assert.All(segments.Skip(1).Zip(segments), p => Assert.Equal(p.Second.Position, p.First.After));
        Assert.Equal(batch.Position, segments[^1].Position);
        Assert.Equal(batch.Events, segments.SelectMany(s => s.Events));
        Assert.Equal(batch.Sequences, segments.SelectMany(s => s.Sequences));
    }

    /// <summary>A batch of partition 3 at epoch 7, its events at sequences 101, 102, … after 100.</summary>
    private static EventBatch Batch(string letters)
    {
        var events = letters.Select((l, i) => LikeActions.TryParse(l, out var a)
            ? new LikeEvent(Guid.NewGuid(), a.HasUser() ? 5 : 0, a.HasContent() ? 9 + i : 0, a, 1_000 + i)
            : throw new ArgumentException(letters)).ToList();
        var sequences = Enumerable.Range(101, events.Count).Select(s => (ulong)s).ToList();
        return new EventBatch(3, events, new EventPosition(7, sequences[^1]), new EventPosition(7, 100), sequences);
    }
}
