using System.Globalization;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// The per-user timelines: a ZSet of the newest N liked content ids, score = like time (Unix ms), with
/// the sentinel member "0" whose score is the <see cref="TimelineState"/>. All changes to one user's
/// timeline happen inside one script, so readers never see a half-applied batch.
/// </summary>
public sealed class TimelineStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<TimelineOptions> options)
{
    public const string Sentinel = "0";

    // Extra members fetched past a page, so that a group of equal times cut by the fetch rarely needs a second trip.
    private const int PageSlack = 16;

    // KEYS[1] timeline; ARGV[1] N; ARGV[2] idle ttl ms (0 = none); ARGV[3] the batch's last stream sequence
    // (0 = unknown); then (content, action, score) triples: 'L' like (keeps an existing like's time),
    // 'R' re-like (replaces it), 'U' unlike. The sentinel's score is -(applied sequence * 4 + state): a batch
    // at or below the applied sequence is already reflected (a redelivery, or a rebuild from PostgreSQL that
    // covered it) and is skipped. A missing timeline starts Partial; trimming past N turns Complete into
    // Truncated. Returns the number of members that really changed.
    private const string ApplyScript = """
        local key = KEYS[1]
        local n = tonumber(ARGV[1])
        local seq = tonumber(ARGV[3])
        local state, applied = 3, 0
        local s = redis.call('ZSCORE', key, '0')
        if s then
          local v = -tonumber(s)
          state = v % 4
          applied = (v - state) / 4
          if seq > 0 and applied >= seq then return 0 end
        end
        local changed = 0
        for i = 4, #ARGV, 3 do
          local action = ARGV[i + 1]
          if action == 'L' then
            changed = changed + redis.call('ZADD', key, 'NX', ARGV[i + 2], ARGV[i])
          elseif action == 'R' then
            changed = changed + redis.call('ZADD', key, ARGV[i + 2], ARGV[i])
          else
            changed = changed + redis.call('ZREM', key, ARGV[i])
          end
        end
        redis.call('ZADD', key, -(math.max(applied, seq) * 4 + state), '0')
        local over = redis.call('ZCARD', key) - 1 - n
        if over > 0 then
          redis.call('ZREMRANGEBYRANK', key, 1, over)
          if state == 1 then redis.call('ZADD', key, -(math.max(applied, seq) * 4 + 2), '0') end
        end
        local ttl = tonumber(ARGV[2])
        if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
        return changed
        """;

    // KEYS[1] timeline; ARGV[1] the stream sequence the snapshot covers; ARGV[2] state; ARGV[3] idle ttl ms;
    // then (content, score) pairs. Refuses (returns -1) when the timeline already reflects events past the
    // snapshot: replacing it would erase them. Otherwise replaces it whole, atomically: readers see the old
    // timeline or the new one, never a half-built one.
    private const string ReplaceScript = """
        local key = KEYS[1]
        local covers = tonumber(ARGV[1])
        local s = redis.call('ZSCORE', key, '0')
        if s then
          local v = -tonumber(s)
          local applied = (v - v % 4) / 4
          if applied > covers then return -1 end
        end
        redis.call('DEL', key)
        redis.call('ZADD', key, -(covers * 4 + tonumber(ARGV[2])), '0')
        for i = 4, #ARGV, 2 do
          redis.call('ZADD', key, ARGV[i + 1], ARGV[i])
        end
        local ttl = tonumber(ARGV[3])
        if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
        return (#ARGV - 3) / 2
        """;

    public int Size => options.Value.Size;

    /// <summary>
    /// Replaces a user's timeline with a snapshot from PostgreSQL covering the stream through
    /// <paramref name="covers"/>. False when the timeline already holds newer events (PostgreSQL is behind).
    /// </summary>
    public async Task<bool> ReplaceAsync(long userId, ulong covers, TimelineState state, IReadOnlyList<(long ContentId, long LikedAtMs)> newest)
    {
        var args = new RedisValue[3 + newest.Count * 2];
        args[0] = covers;
        args[1] = (int)state;
        args[2] = (long)options.Value.IdleExpiry.TotalMilliseconds;
        var i = 3;
        foreach (var (contentId, likedAtMs) in newest)
        {
            args[i++] = contentId;
            args[i++] = likedAtMs;
        }

        var result = await redis.GetDatabase().ScriptEvaluateAsync(ReplaceScript, [keys.Timeline(userId)], args);
        return (long)result >= 0;
    }

    /// <summary>The timeline's state as Redis holds it now.</summary>
    public async Task<TimelineState> StateAsync(long userId)
        => StateOf(await redis.GetDatabase().SortedSetScoreAsync(keys.Timeline(userId), Sentinel));

    /// <summary>
    /// Applies each user's net changes with one script call per user, all pipelined: one round trip per
    /// batch. Returns how many timeline members really changed.
    /// </summary>
    public async Task<long> ApplyAsync(IEnumerable<IGrouping<long, PairChange>> changesByUser, ulong lastSequence)
    {
        var db = redis.GetDatabase();
        var calls = new List<Task<RedisResult>>();
        var ttl = (long)options.Value.IdleExpiry.TotalMilliseconds;
        foreach (var changes in changesByUser)
        {
            var args = new RedisValue[3 + changes.Count() * 3];
            args[0] = options.Value.Size;
            args[1] = ttl;
            args[2] = lastSequence;
            var i = 3;
            foreach (var change in changes)
            {
                args[i++] = change.ContentId;
                args[i++] = change.Action == LikeAction.Unlike ? "U" : change.Relike ? "R" : "L";
                args[i++] = change.AtMs;
            }

            calls.Add(db.ScriptEvaluateAsync(ApplyScript, [keys.Timeline(changes.Key)], args));
        }

        var results = await Task.WhenAll(calls);
        return results.Sum(r => (long)r);
    }

    /// <summary>
    /// Queues, on a batch the caller executes, the read of a page: the sentinel and each id's like time.
    /// </summary>
    public Task<double?[]> ReadPage(IBatch batch, long userId, IReadOnlyList<long> contentIds)
    {
        var members = new RedisValue[contentIds.Count + 1];
        members[0] = Sentinel;
        for (var i = 0; i < contentIds.Count; i++)
        {
            members[i + 1] = contentIds[i];
        }

        return batch.SortedSetScoresAsync(keys.Timeline(userId), members);
    }

    /// <summary>The state a page read found, from the sentinel's score.</summary>
    public static TimelineState StateOf(double? sentinelScore)
        => sentinelScore is { } score ? (TimelineState)(long)(-score % 4) : TimelineState.Missing;

    /// <summary>The stream sequence a timeline reflects, from the sentinel's score.</summary>
    public static ulong AppliedThrough(double sentinelScore) => (ulong)(-sentinelScore / 4);

    /// <summary>The sentinel's score for a state and the stream sequence the timeline reflects.</summary>
    public static double SentinelScore(TimelineState state, ulong appliedThrough) => -((double)appliedThrough * 4 + (int)state);

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
        var sentinel = batch.SortedSetScoreAsync(key, Sentinel);
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

        return new TimelinePage(StateOf(sentinel.Result), entries, hasMore, oldest.Result is [var o] ? (long)o.Score : null);
    }

    private static List<(long ContentId, long LikedAtMs)> OlderThan(SortedSetEntry[] fetched, (long LikedAtMs, long ContentId)? before)
    {
        var entries = new List<(long ContentId, long LikedAtMs)>(fetched.Length);
        foreach (var entry in fetched)
        {
            var contentId = long.Parse((string)entry.Element!, CultureInfo.InvariantCulture);
            var at = (long)entry.Score;
            if (contentId != 0 && (before is not { } c || at < c.LikedAtMs || (at == c.LikedAtMs && contentId < c.ContentId)))
            {
                entries.Add((contentId, at));
            }
        }

        return entries;
    }
}
