using System.Globalization;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>Reads a user's timeline a page at a time, newest first: what my-likes answers from Redis.</summary>
public sealed class TimelinePages(IConnectionMultiplexer redis, RedisKeys keys)
{
    // Extra members fetched past a page, so that a group of equal times cut by the fetch rarely needs a second trip.
    private const int PageSlack = 16;

    /// <summary>
    /// A page of the newest likes: ordered by like time, then content id, both descending and numerically,
    /// strictly older than <paramref name="before"/> when given. Redis orders equal scores by the members'
    /// bytes ("9" after "10" ascending), so the page is sorted here, and a fetch cut inside a group of equal
    /// times is completed before anything of that group is answered. Usually one round trip, two when the
    /// cut needs the rest of a group. See <see cref="TimelinePage.Trusted"/> for what a reader may answer from it.
    /// </summary>
    public async Task<TimelinePage> NewestAsync(long userId, int limit, (long LikedAtMs, long ContentId)? before)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var db = redis.GetDatabase();
        var key = keys.Timeline(userId);
        // From the cursor's own time (inclusive: older ids may share it) down to, not including, 0: like
        // times are positive and the sentinel's score is negative.
        var top = before is { } b ? b.LikedAtMs : double.PositiveInfinity;
        var take = limit + 1 + PageSlack;
        var batch = db.CreateBatch();
        var sentinel = batch.SortedSetRangeByRankWithScoresAsync(key, 0, 0);
        var range = batch.SortedSetRangeByScoreWithScoresAsync(key, top, 0, Exclude.Stop, Order.Descending, 0, take);
        var oldest = batch.SortedSetRangeByScoreWithScoresAsync(key, 0, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, 1);
        batch.Execute();
        await Task.WhenAll(sentinel, range, oldest);

        var fetched = range.Result;
        var entries = OlderThan(fetched, before);
        var hasMoreBelow = false;
        if (fetched.Length == take)
        {
            // The lowest time fetched may be only partly here. Everything above it is complete.
            var lowest = (long)fetched[^1].Score;
            entries.RemoveAll(e => e.LikedAtMs == lowest);
            if (entries.Count <= limit)
            {
                var rest = db.CreateBatch();
                var group = rest.SortedSetRangeByScoreWithScoresAsync(key, lowest, lowest);
                var below = rest.SortedSetRangeByScoreAsync(key, lowest, 0, Exclude.Both, Order.Descending, 0, 1);
                rest.Execute();
                await Task.WhenAll(group, below);
                entries.AddRange(OlderThan(group.Result, before));
                hasMoreBelow = below.Result.Length > 0;
            }
            else
            {
                hasMoreBelow = true;
            }
        }

        entries.Sort(static (x, y) => x.LikedAtMs != y.LikedAtMs ? y.LikedAtMs.CompareTo(x.LikedAtMs) : y.ContentId.CompareTo(x.ContentId));
        var hasMore = entries.Count > limit || hasMoreBelow;
        if (entries.Count > limit)
        {
            entries.RemoveRange(limit, entries.Count - limit);
        }

        return new TimelinePage(TimelineSentinel.StateOf(sentinel.Result), entries, hasMore, oldest.Result is [var o] ? (long)o.Score : null);
    }

    private static List<(long ContentId, long LikedAtMs)> OlderThan(SortedSetEntry[] fetched, (long LikedAtMs, long ContentId)? before)
    {
        var entries = new List<(long ContentId, long LikedAtMs)>(fetched.Length);
        foreach (var entry in fetched)
        {
            if (!TimelineSentinel.IsContent(entry.Element))
            {
                continue;
            }

            var contentId = long.Parse((string)entry.Element!, CultureInfo.InvariantCulture);
            var at = (long)entry.Score;
            if ((before is not { } c || at < c.LikedAtMs || (at == c.LikedAtMs && contentId < c.ContentId)))
            {
                entries.Add((contentId, at));
            }
        }

        return entries;
    }
}
