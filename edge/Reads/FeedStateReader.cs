using Likes.Shared;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Edge.Reads;

/// <summary>
/// <c>GET /v1/feed-state</c>: for each id of a page, how many liked it and whether the caller did.
/// <list type="number">
/// <item>Redis, one round trip: the timeline's sentinel and each id's score (one <c>ZMSCORE</c>) and one
/// <c>GET</c> per counter, queued on one batch (not <c>MGET</c>: counters of different contents live in
/// different cluster slots).</item>
/// <item>What Redis cannot answer, from PostgreSQL under the fallback budget, at most one query per kind:
/// the missing counters (shared with concurrent reads, written back, unknown contents cached as ghosts);
/// the liked-state of ids the timeline cannot decide (absent while it is truncated, partial or missing;
/// a missing or partial timeline also asks for a rebuild).</item>
/// <item>Redis unavailable, or <c>Edge:ReadSource</c> postgres: the whole page in one PostgreSQL query.</item>
/// </list>
/// A fact that still cannot be known is null and the body says it is degraded: never a 500.
/// </summary>
public sealed class FeedStateReader(
    RedisReads redis,
    RedisKeys keys,
    TimelineStore timelines,
    IOptions<TimelineOptions> timeline,
    CountLoader counts,
    FallbackBudget budget,
    PostgresReads postgres,
    TimelineReheat reheat,
    ReadMetrics metrics)
{
    private readonly TimeSpan _idleExpiry = timeline.Value.IdleExpiry;

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
        var scores = timelines.ReadPage(batch, userId, ids);
        var counters = CounterStore.Read(batch, keys, ids);
        if (_idleExpiry > TimeSpan.Zero)
        {
            // Reading keeps a timeline warm (GT: never shortens one, never gives an expiry to one without).
            _ = batch.KeyExpireAsync(keys.Timeline(userId), _idleExpiry, ExpireWhen.GreaterThanCurrentExpiry, CommandFlags.FireAndForget);
        }

        batch.Execute();
        if (!await redis.AwaitAsync(Task.WhenAll(scores, Task.WhenAll(counters))))
        {
            return false;
        }

        var timelineScores = scores.Result;
        var state = TimelineStore.StateOf(timelineScores[0]);
        List<long>? missingCounts = null;
        List<long>? undecided = null;
        var ghosts = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            if (CounterValue.TryParse(counters[i].Result, out var counter))
            {
                facts.Count(i, counter.Count, fromRedis: true);
                ghosts += counter == CounterWriteBack.Ghost ? 1 : 0;
            }
            else
            {
                (missingCounts ??= []).Add(ids[i]);
            }

            // Present: liked. Absent: not liked only if the timeline holds every like of the user.
            if (timelineScores[i + 1] is not null)
            {
                facts.Liked(i, true, fromRedis: true);
            }
            else if (state == TimelineState.Complete)
            {
                facts.Liked(i, false, fromRedis: true);
            }
            else
            {
                (undecided ??= []).Add(ids[i]);
            }
        }

        metrics.GhostHits(ghosts);
        // A partial timeline (started by the stream before any rebuild) never learns what it lacks on its own:
        // without a rebuild every page of that user would keep asking PostgreSQL.
        if (state is TimelineState.Missing or TimelineState.Partial)
        {
            reheat.Request(userId);
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
                    facts.CountFromPostgres(contentId, count.Value);
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
