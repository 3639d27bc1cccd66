using Likes.Shared;
using Likes.Shared.Reheating;
using StackExchange.Redis;

namespace Likes.Persister;

/// <summary>
/// A like that found its row already there changed nothing in PostgreSQL, but it may have met a cold Redis:
/// the aggregator applies it to a missing timeline (which then starts partial) or, when the relation is older
/// than a truncated timeline's newest N, adds it there with the new like's time instead of the old one. Either
/// way only a rebuild from PostgreSQL makes Redis right again. So after commit, for each user with duplicate
/// likes in the batch, one Redis read (the sentinel and the oldest like) decides, and one refresh request per
/// user asks for the rebuild: when the timeline is missing or partial, or truncated with a duplicate at or
/// before its oldest like. A complete timeline, or a duplicate among the newest N, is hot: nothing to do.
/// </summary>
public sealed class ColdDuplicates(IConnectionMultiplexer redis, RedisKeys keys, ReheatRequests reheat, PersisterMetrics metrics)
{
    public async Task RequestRebuildsAsync(IReadOnlyList<DuplicateLike> duplicates)
    {
        if (duplicates.Count == 0)
        {
            return;
        }

        var batch = redis.GetDatabase().CreateBatch();
        var reads = new List<(IGrouping<long, DuplicateLike> Likes, Task<SortedSetEntry[]> Lowest)>();
        foreach (var user in duplicates.GroupBy(d => d.UserId))
        {
            // Rank 0 is the sentinel (its score is negative), rank 1 the oldest like.
            reads.Add((user, batch.SortedSetRangeByRankWithScoresAsync(keys.Timeline(user.Key), 0, 1)));
        }

        batch.Execute();
        await Task.WhenAll(reads.Select(r => r.Lowest));
        foreach (var (likes, lowest) in reads)
        {
            var entries = lowest.Result;
            var oldest = entries.Length > 1 ? (long)entries[1].Score : long.MaxValue;
            var cold = TimelineSentinel.StateOf(entries) switch
            {
                TimelineState.Complete => 0,
                TimelineState.Truncated => likes.Count(d => d.LikedAtMs <= oldest),
                _ => likes.Count(),
            };
            metrics.Duplicates(hot: likes.Count() - cold, cold);
            if (cold > 0)
            {
                reheat.Request(new ReheatRequest(likes.Key, Refresh: true), ReheatRequests.Persister);
            }
        }
    }
}
