using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// The per-user timelines: a ZSet of the newest N liked content ids, score = like time (Unix ms), with the
/// <see cref="TimelineSentinel"/> that holds its state and stream position, and, for a heavy user, the Bloom filter
/// of all their likes that goes with it. All changes to one user's timeline (and filter) happen inside one script
/// (Scripts/timeline-apply.lua, timeline-replace.lua), so readers never see a half-applied batch or a filter older
/// than its timeline.
/// </summary>
public sealed class TimelineStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<TimelineOptions> options)
{
    public int Size => options.Value.Size;

    /// <summary>
    /// Replaces a user's timeline with a snapshot from PostgreSQL covering the stream through <paramref name="covers"/>,
    /// and the user's Bloom filter as <paramref name="filter"/> says, in one atomic step. A rebuild passes its token as
    /// <paramref name="rebuild"/>: its staged filter (for a swap) and its ticket, the rebuild lock, which every batch the
    /// aggregator applies to the user tears up. False when the timeline already holds newer events (PostgreSQL is behind)
    /// or the staged filter is gone; and, when there is no timeline, when the snapshot does not cover
    /// <paramref name="coversIfMissing"/> (what an evicted timeline may have held) or the ticket was torn up since that
    /// was measured. Without a token (the aggregator's own replace) the ticket is torn up.
    /// </summary>
    public async Task<bool> ReplaceAsync(
        long userId, EventPosition covers, TimelineState state, IReadOnlyList<(long ContentId, long LikedAtMs)> newest,
        FilterChange filter = FilterChange.Drop, string rebuild = "", EventPosition coversIfMissing = default)
    {
        var args = new RedisValue[8 + newest.Count * 2];
        args[0] = covers.Epoch;
        args[1] = covers.Sequence;
        args[2] = (int)state;
        args[3] = (long)options.Value.IdleExpiry.TotalMilliseconds;
        args[4] = filter switch
        {
            FilterChange.Keep => "keep",
            FilterChange.Swap => "swap",
            _ => "drop",
        };
        args[5] = coversIfMissing.Epoch;
        args[6] = coversIfMissing.Sequence;
        args[7] = rebuild;
        var i = 8;
        foreach (var (contentId, likedAtMs) in newest)
        {
            args[i++] = contentId;
            args[i++] = likedAtMs;
        }

        var result = await RedisScripts.TimelineReplace.EvaluateAsync(redis.GetDatabase(), [keys.Timeline(userId), keys.Bloom(userId), keys.BloomStaging(userId, rebuild), keys.RebuildLock(userId)], args);
        return (long)result >= 0;
    }

    /// <summary>The timeline's sentinel as Redis holds it now; null when the timeline is missing.</summary>
    public async Task<TimelineSentinel?> SentinelAsync(long userId)
        => await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(keys.Timeline(userId), 0, 0) is [var first] && TimelineSentinel.TryRead(first, out var s) ? s : null;

    /// <summary>The timeline's state as Redis holds it now.</summary>
    public async Task<TimelineState> StateAsync(long userId) => (await SentinelAsync(userId))?.State ?? TimelineState.Missing;

    /// <summary>
    /// Applies each user's net changes with one script call per user, all pipelined: one round trip per
    /// batch. Returns how many timeline members really changed, and the users whose timeline is truncated
    /// without a filter that fits (a rebuild gives them one).
    /// </summary>
    public async Task<(long Changed, IReadOnlyList<long> NeedFilter)> ApplyAsync(IEnumerable<IGrouping<long, PairChange>> changesByUser, EventPosition position)
    {
        var db = redis.GetDatabase();
        var calls = new List<(long UserId, Task<RedisResult> Call)>();
        var ttl = (long)options.Value.IdleExpiry.TotalMilliseconds;
        foreach (var changes in changesByUser)
        {
            var args = new RedisValue[4 + changes.Count() * 5];
            args[0] = options.Value.Size;
            args[1] = ttl;
            args[2] = position.Epoch;
            args[3] = position.Sequence;
            var i = 4;
            foreach (var change in changes)
            {
                var hash = BloomHash.Of(change.ContentId);
                args[i++] = change.ContentId;
                args[i++] = change.Action == LikeAction.Unlike ? "U" : change.Relike ? "R" : "L";
                args[i++] = change.AtMs;
                args[i++] = hash.H1;
                args[i++] = hash.H2;
            }

            calls.Add((changes.Key, RedisScripts.TimelineApply.EvaluateAsync(db, [keys.Timeline(changes.Key), keys.Bloom(changes.Key), keys.RebuildLock(changes.Key)], args)));
        }

        await Task.WhenAll(calls.Select(c => c.Call));
        var changed = 0L;
        var needFilter = new List<long>();
        foreach (var (userId, call) in calls)
        {
            var result = (RedisResult[])call.Result!;
            changed += (long)result[0];
            if ((long)result[1] == 1)
            {
                needFilter.Add(userId);
            }
        }

        return (changed, needFilter);
    }
}
