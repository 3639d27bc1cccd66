using Likes.Shared;
using Likes.Shared.Reheating;
using Likes.Shared.Bloom;

namespace Likes.Edge.Reads;

/// <summary>
/// <c>GET /v1/feed-state</c>: for each id of a page, how many liked it and whether the caller did.
/// <list type="number">
/// <item>Redis, one round trip: the liked-state probe over the user's keys (<see cref="LikedStateProbe"/>:
/// the timeline's scores, then the Bloom filter for what the timeline cannot decide) and one <c>HMGET</c> per
/// counter bucket the page's ids fall in, queued on one batch (buckets live in different cluster slots).</item>
/// <item>What Redis cannot answer, from PostgreSQL under the fallback budget, at most one query per kind:
/// the missing counters (shared with concurrent reads, written back, unknown contents cached as ghosts);
/// the liked-state of ids neither the timeline nor the filter could decide (the filter's "maybe", or no
/// complete timeline and no filter; then a rebuild is also asked for).</item>
/// <item>Redis unavailable, or <c>Edge:ReadSource</c> postgres: the whole page in one PostgreSQL query.</item>
/// </list>
/// A fact that still cannot be known is null and the body says it is degraded: never a 500.
/// </summary>
public sealed class FeedStateReader(
    RedisReads redis,
    RedisKeys keys,
    LikedStateProbe likedState,
    CountLoader counts,
    FallbackBudget budget,
    PostgresReads postgres,
    ReheatRequests reheat,
    ReadMetrics metrics)
{
    public async Task<FeedStateBody> ReadAsync(long userId, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var facts = new PageFacts([.. ids.Distinct()]);
        if (!redis.Usable() || !await FromRedisAsync(userId, facts, cancellationToken))
        {
            await FromPostgresAsync(userId, facts, cancellationToken);
        }

        metrics.Facts(facts.FromRedis, facts.FromPostgres);
        foreach (var reason in facts.Unknown)
        {
            metrics.Degraded(reason);
        }

        return facts.ToBody(ids);
    }

    /// <summary>False when Redis could not answer: nothing was taken from it, the caller goes to PostgreSQL.</summary>
    private async Task<bool> FromRedisAsync(long userId, PageFacts facts, CancellationToken cancellationToken)
    {
        var ids = facts.Ids;
        var batch = redis.Database.CreateBatch();
        var probe = likedState.Queue(batch, userId, ids);
        var counters = CounterStore.Read(batch, keys, ids);
        batch.Execute();
        if (!await redis.AwaitAsync(Task.WhenAll(probe, counters)))
        {
            return false;
        }

        var page = LikedStateProbe.Read(probe.Result);
        List<long>? missingCounts = null;
        List<long>? undecided = null;
        HashSet<long>? maybe = null;
        var (ghosts, filterNo) = (0, 0);
        for (var i = 0; i < ids.Length; i++)
        {
            if (CounterValue.TryParse(counters.Result[i], out var counter))
            {
                facts.Counter(i, counter, fromRedis: true);
                ghosts += counter == CounterStore.Ghost ? 1 : 0;
            }
            else
            {
                (missingCounts ??= []).Add(ids[i]);
            }

            switch (page.Answers[i])
            {
                case LikedAnswer.InTimeline:
                    facts.Liked(i, true, fromRedis: true);
                    break;
                case LikedAnswer.AbsentFromComplete:
                    facts.Liked(i, false, fromRedis: true);
                    break;
                case LikedAnswer.FilterNo:
                    facts.Liked(i, false, fromRedis: true);
                    filterNo++;
                    break;
                case LikedAnswer.FilterMaybe:
                    (maybe ??= []).Add(ids[i]);
                    (undecided ??= []).Add(ids[i]);
                    break;
                default:
                    (undecided ??= []).Add(ids[i]);
                    break;
            }
        }

        metrics.GhostHits(ghosts);
        metrics.Bloom(filterNo, maybe?.Count ?? 0);
        // Redis could not decide part of the page and a rebuild would let it: a missing or partial timeline,
        // or a truncated one whose filter is missing or overfull. (A filter's "maybe" needs no rebuild.)
        if (undecided is not null && !(page.State == TimelineState.Truncated && page.Filter == BloomFilterState.Fit))
        {
            reheat.Request(new ReheatRequest(userId), ReheatRequests.Edge);
        }

        // Both fallbacks at once; their answers are applied after both are in.
        var loadCounts = missingCounts is null ? null : counts.LoadAsync(missingCounts, cancellationToken);
        var loadLiked = undecided is null ? null : budget.RunAsync(ReadMetrics.Liked, ct => postgres.LikedAsync(userId, [.. undecided], ct), cancellationToken);
        if (loadCounts is not null)
        {
            foreach (var (contentId, count) in await loadCounts)
            {
                if (count.Known)
                {
                    facts.CounterFromPostgres(contentId, count.Value);
                }
                else
                {
                    facts.CouldNotKnow(count.Failure!.Value);
                }
            }
        }

        if (loadLiked is not null)
        {
            var liked = await loadLiked;
            if (liked.Known)
            {
                foreach (var contentId in undecided!)
                {
                    facts.LikedFromPostgres(contentId, liked.Value!.Contains(contentId));
                }

                metrics.BloomFalsePositives(maybe?.Count(id => !liked.Value!.Contains(id)) ?? 0);
            }
            else
            {
                facts.CouldNotKnow(liked.Failure!.Value);
            }
        }

        return true;
    }

    private async Task FromPostgresAsync(long userId, PageFacts facts, CancellationToken cancellationToken)
    {
        var page = await budget.RunAsync(ReadMetrics.Page, ct => postgres.PageAsync(userId, facts.Ids, ct), cancellationToken);
        if (!page.Known)
        {
            facts.CouldNotKnow(page.Failure!.Value);
            return;
        }

        foreach (var (contentId, (count, liked)) in page.Value!)
        {
            facts.CountFromPostgres(contentId, count);
            facts.LikedFromPostgres(contentId, liked);
        }
    }
}
