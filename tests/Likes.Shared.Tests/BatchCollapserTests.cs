using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Likes.Shared.Events;
using Xunit;

namespace Likes.Shared.Tests;

public class BatchCollapserTests
{
    /// <summary>The model: apply events one by one; a like on a liked pair keeps the first time.</summary>
    private static Dictionary<(long, long), long> Model(IEnumerable<LikeEvent> events, Dictionary<(long, long), long> start)
    {
        var state = new Dictionary<(long, long), long>(start);
        foreach (var e in events)
        {
            if (e.Action == LikeAction.Like)
            {
                state.TryAdd((e.UserId, e.ContentId), e.AcceptedAtMs);
            }
            else
            {
                state.Remove((e.UserId, e.ContentId));
            }
        }

        return state;
    }

    /// <summary>What the stores do with a change: insert-if-absent, replace on a re-like, delete on an unlike.</summary>
    private static Dictionary<(long, long), long> ApplyCollapsed(IReadOnlyList<LikeEvent> events, Dictionary<(long, long), long> start)
    {
        var state = new Dictionary<(long, long), long>(start);
        foreach (var c in BatchCollapser.Collapse(events))
        {
            var key = (c.UserId, c.ContentId);
            if (c.Action == LikeAction.Unlike)
            {
                state.Remove(key);
            }
            else if (c.Relike)
            {
                state[key] = c.AtMs;
            }
            else
            {
                state.TryAdd(key, c.AtMs);
            }
        }

        return state;
    }

    private static Dictionary<(long, long), long> Start(int seed)
        => Enumerable.Range(0, 16).Where(i => (seed >> i & 1) == 1).ToDictionary(i => ((long)(i / 4 + 1), (long)(i % 4 + 1)), i => (long)i);

    private static bool Same(Dictionary<(long, long), long> a, Dictionary<(long, long), long> b)
        => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static Arbitrary<LikeEvent[]> SmallWorldEvents()
    {
        // Few users and contents, so pairs repeat and like/unlike interleave often.
        var gen = from u in Gen.Choose(1, 4)
                  from c in Gen.Choose(1, 4)
                  from like in Gen.Elements(true, false)
                  select (u, c, like);
        // Times grow with stream order, as the edge stamps them.
        return gen.ArrayOf().Select(xs => xs
            .Select((x, i) => new LikeEvent(Guid.Empty, x.u, x.c, x.like ? LikeAction.Like : LikeAction.Unlike, 1_000 + i))
            .ToArray()).ToArbitrary();
    }

    [Property]
    public Property Collapsed_EndsInTheSameStateAsOneByOne_TimesIncluded()
        => Prop.ForAll(SmallWorldEvents(), Arb.From(Gen.Choose(0, 65535)), (events, seed) =>
            Same(Model(events, Start(seed)), ApplyCollapsed(events, Start(seed))));

    [Property]
    public Property Collapsed_AppliedTwice_ChangesNothingMore()
        => Prop.ForAll(SmallWorldEvents(), Arb.From(Gen.Choose(0, 65535)), (events, seed) =>
        {
            var once = ApplyCollapsed(events, Start(seed));
            return Same(once, ApplyCollapsed(events, once));
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

    [Fact]
    public void LikeLike_KeepsTheFirstTime()
        => Assert.Equal([new PairChange(1, 2, LikeAction.Like, 10)], BatchCollapser.Collapse([Like(10), Like(11)]));

    [Fact]
    public void UnlikeThenLikes_IsARelikeAtTheFirstLikeAfterTheUnlike()
        => Assert.Equal([new PairChange(1, 2, LikeAction.Like, 11, Relike: true)], BatchCollapser.Collapse([Like(9), Unlike(10), Like(11), Like(12)]));

    private static LikeEvent Like(long at) => new(Guid.Empty, 1, 2, LikeAction.Like, at);

    private static LikeEvent Unlike(long at) => new(Guid.Empty, 1, 2, LikeAction.Unlike, at);
}
