using System.Globalization;
using Likes.Edge.Ids;
using Likes.Shared;
using Likes.Shared.Reheating;

namespace Likes.Edge.Reads;

/// <summary>
/// <c>GET /v1/users/me/likes</c>: the caller's likes, newest first (like time, then content id, descending),
/// in keyset pages. From a timeline built from PostgreSQL (complete or truncated) while it has likes below the
/// cursor; where it runs out and is not complete, the page continues from PostgreSQL on likes_user_newest with the
/// same order and the same key, so the two sources join without duplicates or gaps. A partial or missing timeline
/// answers nothing: every page from PostgreSQL, and a rebuild is asked for. The oldest time of an
/// incomplete timeline may be there only in part (<see cref="TimelinePage.Trusted"/>): from it on, PostgreSQL. Redis unavailable, or
/// reads from PostgreSQL alone: every page from PostgreSQL. A deleted content is in no page.
/// </summary>
public sealed class MyLikesReader(
    RedisReads redis,
    TimelinePages timelines,
    FallbackBudget budget,
    PostgresReads postgres,
    MyLikesCursor cursors,
    ReheatRequests reheat,
    CountLoader counts,
    ReadMetrics metrics)
{
    public async Task<MyLikesBody> ReadAsync(long userId, int limit, (long LikedAtMs, long ContentId)? after, CancellationToken cancellationToken)
    {
        var items = new List<(long ContentId, long LikedAtMs)>(limit);
        bool? more = null;
        if (redis.Usable())
        {
            var read = timelines.NewestAsync(userId, limit, after);
            if (await redis.AwaitAsync(read))
            {
                var page = read.Result;
                if (page.State is TimelineState.Missing or TimelineState.Partial)
                {
                    // A partial timeline holds a like repeated while it was gone at the repeat's time, where PostgreSQL
                    // keeps the first like's: joined to PostgreSQL's pages it would list that like twice.
                    reheat.Request(new ReheatRequest(userId), ReheatRequests.Edge);
                }
                else
                {
                    var trusted = page.Trusted;
                    items.AddRange(trusted);
                    metrics.Facts(fromRedis: trusted.Count, fromPostgres: 0);

                    // The timeline answers alone when it fills the page and has more, or holds every like of the user.
                    if ((trusted.Count == limit && page.HasMore) || page.State == TimelineState.Complete)
                    {
                        more = page.HasMore;
                    }
                }
            }
        }

        if (more is null)
        {
            // One more row than the page needs tells whether there is a next page.
            var from = items.Count > 0 ? Key(items[^1]) : after;
            var need = limit - items.Count;
            var rows = await budget.RunAsync(ReadMetrics.MyLikes, ct => postgres.MyLikesAsync(userId, from, need + 1, ct), cancellationToken);
            if (!rows.Known)
            {
                // What is here is right; the rest is unknown: the cursor lets the client ask again from here.
                metrics.Degraded(rows.Failure!.Value);
                return new MyLikesBody(Items(await LiveAsync(items, cancellationToken)), cursors.Encode(userId, from), true);
            }

            items.AddRange(rows.Value!.Take(need));
            metrics.Facts(fromRedis: 0, fromPostgres: Math.Min(need, rows.Value!.Count));
            more = rows.Value!.Count > need;
        }

        return new MyLikesBody(Items(await LiveAsync(items, cancellationToken)), more.Value ? cursors.Encode(userId, Key(items[^1])) : null, null);
    }

    /// <summary>
    /// The items whose content is not deleted, by their counters (as feed-state reads them). A timeline may still hold
    /// a deleted content; the page then has fewer items, and its cursor still follows the last one read.
    /// </summary>
    private async Task<List<(long ContentId, long LikedAtMs)>> LiveAsync(List<(long ContentId, long LikedAtMs)> items, CancellationToken cancellationToken)
    {
        // Without Redis every item came from PostgreSQL, whose query leaves deleted contents out already.
        if (items.Count == 0 || !redis.Usable())
        {
            return items;
        }

        var counters = await counts.LoadAsync([.. items.Select(i => i.ContentId).Distinct()], cancellationToken);
        return items.FindAll(i => !(counters[i.ContentId] is { Known: true } c && c.Value.Deleted));
    }

    private static (long LikedAtMs, long ContentId) Key((long ContentId, long LikedAtMs) item) => (item.LikedAtMs, item.ContentId);

    private static MyLikeItem[] Items(List<(long ContentId, long LikedAtMs)> items)
        => [.. items.Select(i => new MyLikeItem(PositiveId.Format(i.ContentId), LikedAtText.Format(i.LikedAtMs)))];
}
