using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Likes.Shared.Events;
using Xunit;

namespace Likes.Shared.Tests;

public class BatchCollapserTests
{
    /// <summary>The model: apply events one by one to a set of liked pairs.</summary>
    private static HashSet<(long, long)> Model(IEnumerable<LikeEvent> events, HashSet<(long, long)> start)
    {
        var state = new HashSet<(long, long)>(start);
        foreach (var e in events)
        {
            if (e.Action == LikeAction.Like)
            {
                state.Add((e.UserId, e.ContentId));
            }
            else
            {
                state.Remove((e.UserId, e.ContentId));
            }
        }

        return state;
    }

    private static HashSet<(long, long)> ApplyCollapsed(IReadOnlyList<LikeEvent> events, HashSet<(long, long)> start)
    {
        var state = new HashSet<(long, long)>(start);
        foreach (var c in BatchCollapser.Collapse(events))
        {
            if (c.Action == LikeAction.Like)
            {
                state.Add((c.UserId, c.ContentId));
            }
            else
            {
                state.Remove((c.UserId, c.ContentId));
            }
        }

        return state;
    }

    private static Arbitrary<LikeEvent[]> SmallWorldEvents()
    {
        // Few users and contents, so pairs repeat and like/unlike interleave often.
        var gen = from u in Gen.Choose(1, 4)
                  from c in Gen.Choose(1, 4)
                  from like in Gen.Elements(true, false)
                  from t in Gen.Choose(1, 1000)
                  select new LikeEvent(Guid.Empty, u, c, like ? LikeAction.Like : LikeAction.Unlike, t);
        return gen.ArrayOf().ToArbitrary();
    }

    [Property]
    public Property Collapsed_EndsInTheSameStateAsOneByOne()
        => Prop.ForAll(SmallWorldEvents(), Arb.From(Gen.Choose(0, 15)), (events, seed) =>
        {
            var start = new HashSet<(long, long)>();
            for (var i = 0; i < 16; i++)
            {
                if ((seed >> (i % 4) & 1) == 1)
                {
                    start.Add((i / 4 + 1, i % 4 + 1));
                }
            }

            return Model(events, start).SetEquals(ApplyCollapsed(events, start));
        });

    [Property]
    public Property Collapsed_HasOneChangePerPair_WithTheLastAction()
        => Prop.ForAll(SmallWorldEvents(), events =>
        {
            var collapsed = BatchCollapser.Collapse(events);
            var pairs = collapsed.Select(c => (c.UserId, c.ContentId)).ToList();
            return pairs.Count == pairs.Distinct().Count()
                && collapsed.All(c => events.Last(e => e.UserId == c.UserId && e.ContentId == c.ContentId).Action == c.Action);
        });

    [Fact]
    public void LikeThenUnlike_CollapsesToUnlike()
    {
        var events = new[]
        {
            new LikeEvent(Guid.Empty, 1, 2, LikeAction.Like, 10),
            new LikeEvent(Guid.Empty, 1, 2, LikeAction.Unlike, 11),
        };
        Assert.Equal([new PairChange(1, 2, LikeAction.Unlike, 11)], BatchCollapser.Collapse(events));
    }
}
