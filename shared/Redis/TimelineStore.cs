using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// The per-user timelines: a ZSet of the newest N liked content ids, score = like time (Unix ms), with
/// the sentinel member "0" whose score is the <see cref="TimelineState"/>, and, for a heavy user, the Bloom
/// filter of all their likes that goes with it. All changes to one user's timeline (and filter) happen inside
/// one script, so readers never see a half-applied batch or a filter older than its timeline.
/// </summary>
public sealed class TimelineStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<TimelineOptions> options)
{
    public const string Sentinel = "0";

    // KEYS[1] timeline, KEYS[2] Bloom filter; ARGV[1] N; ARGV[2] idle ttl ms (0 = none); ARGV[3] the batch's
    // last stream sequence (0 = unknown); then (content, action, score, h1, h2) per change: 'L' like (keeps an
    // existing like's time), 'R' re-like (replaces it), 'U' unlike; h1, h2 the content's BloomHash. The
    // sentinel's score is -(applied sequence * 4 + state): a batch at or below the applied sequence is already
    // reflected (a redelivery, or a rebuild from PostgreSQL that covered it) and is skipped. A missing timeline
    // starts Partial. Each like that adds a member trims the timeline back to N at once (so it never outgrows
    // the listpack threshold, docs/redis.md) and turns Complete into Truncated. When the user has a filter,
    // every added like sets its bits and counts as inserted (an unlike clears nothing: bits are shared).
    // Returns {members really changed, 1 if the timeline is truncated and its filter missing or overfull}.
    private const string ApplyScript = """
        local key, filter = KEYS[1], KEYS[2]
        local n = tonumber(ARGV[1])
        local seq = tonumber(ARGV[3])
        local state, applied = 3, 0
        local s = redis.call('ZSCORE', key, '0')
        if s then
          local v = -tonumber(s)
          state = v % 4
          applied = (v - state) / 4
          if seq > 0 and applied >= seq then return {0, 0} end
        end
        local through = math.max(applied, seq)
        redis.call('ZADD', key, -(through * 4 + state), '0')
        local f = redis.call('BITFIELD', filter, 'GET', 'u32', 0, 'GET', 'u32', 32, 'GET', 'u32', 64, 'GET', 'u32', 96)
        local m, k, capacity, inserted = f[1], f[2], f[3], f[4]
        local bits = {}
        local function flush()
          if #bits > 0 then redis.call('BITFIELD', filter, unpack(bits)) bits = {} end
        end
        local changed, added, trimmed = 0, 0, false
        for i = 4, #ARGV, 5 do
          local action = ARGV[i + 1]
          local c
          if action == 'L' then
            c = redis.call('ZADD', key, 'NX', ARGV[i + 2], ARGV[i])
          elseif action == 'R' then
            c = redis.call('ZADD', key, ARGV[i + 2], ARGV[i])
          else
            c = redis.call('ZREM', key, ARGV[i])
          end
          changed = changed + c
          if c == 1 and action ~= 'U' then
            local over = redis.call('ZCARD', key) - 1 - n
            if over > 0 then
              redis.call('ZREMRANGEBYRANK', key, 1, over)
              trimmed = true
            end
            if m > 0 then
              local h1, h2 = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
              for p = 0, k - 1 do
                bits[#bits + 1] = 'SET'
                bits[#bits + 1] = 'u1'
                bits[#bits + 1] = 128 + (h1 + p * h2) % m
                bits[#bits + 1] = 1
              end
              added = added + 1
              if #bits >= 4000 then flush() end
            end
          end
        end
        if added > 0 then
          flush()
          redis.call('BITFIELD', filter, 'OVERFLOW', 'SAT', 'INCRBY', 'u32', 96, added)
          inserted = inserted + added
        end
        if trimmed and state == 1 then
          state = 2
          redis.call('ZADD', key, -(through * 4 + state), '0')
        end
        local ttl = tonumber(ARGV[2])
        if ttl > 0 then
          redis.call('PEXPIRE', key, ttl)
          if m > 0 then redis.call('PEXPIRE', filter, ttl) end
        end
        local needsFilter = 0
        if state == 2 and (m == 0 or inserted > capacity) then needsFilter = 1 end
        return {changed, needsFilter}
        """;

    // KEYS[1] timeline, KEYS[2] Bloom filter, KEYS[3] staged filter; ARGV[1] the stream sequence the snapshot
    // covers; ARGV[2] state; ARGV[3] idle ttl ms; ARGV[4] what becomes of the filter ('keep', 'drop', or 'swap'
    // in the staged one); then (content, score) pairs. Refuses (returns -1) when the timeline already reflects
    // events past the snapshot: replacing it would erase them; returns -2, before writing anything, when the
    // staged filter is gone (evicted). Otherwise replaces timeline and filter together, atomically: readers see
    // the old ones or the new ones, never a half-built timeline or a filter older than its timeline.
    private const string ReplaceScript = """
        local key, filter, staged = KEYS[1], KEYS[2], KEYS[3]
        local covers = tonumber(ARGV[1])
        local s = redis.call('ZSCORE', key, '0')
        if s then
          local v = -tonumber(s)
          local applied = (v - v % 4) / 4
          if applied > covers then return -1 end
        end
        local change = ARGV[4]
        if change == 'swap' and redis.call('EXISTS', staged) == 0 then return -2 end
        redis.call('DEL', key)
        redis.call('ZADD', key, -(covers * 4 + tonumber(ARGV[2])), '0')
        local pairs = {}
        for i = 5, #ARGV, 2 do
          pairs[#pairs + 1] = ARGV[i + 1]
          pairs[#pairs + 1] = ARGV[i]
          if #pairs >= 4000 then
            redis.call('ZADD', key, unpack(pairs))
            pairs = {}
          end
        end
        if #pairs > 0 then redis.call('ZADD', key, unpack(pairs)) end
        if change == 'drop' then
          redis.call('DEL', filter)
        elseif change == 'swap' then
          redis.call('RENAME', staged, filter)
        end
        local ttl = tonumber(ARGV[3])
        if ttl > 0 then
          redis.call('PEXPIRE', key, ttl)
          redis.call('PEXPIRE', filter, ttl)
        else
          redis.call('PERSIST', filter)
        end
        return (#ARGV - 4) / 2
        """;

    public int Size => options.Value.Size;

    /// <summary>
    /// Replaces a user's timeline with a snapshot from PostgreSQL covering the stream through
    /// <paramref name="covers"/>, and the user's Bloom filter as <paramref name="filter"/> says, in one atomic
    /// step. False when the timeline already holds newer events (PostgreSQL is behind) or the staged filter is gone.
    /// </summary>
    public async Task<bool> ReplaceAsync(long userId, ulong covers, TimelineState state, IReadOnlyList<(long ContentId, long LikedAtMs)> newest, FilterChange filter = FilterChange.Drop)
    {
        var args = new RedisValue[4 + newest.Count * 2];
        args[0] = covers;
        args[1] = (int)state;
        args[2] = (long)options.Value.IdleExpiry.TotalMilliseconds;
        args[3] = filter switch
        {
            FilterChange.Keep => "keep",
            FilterChange.Swap => "swap",
            _ => "drop",
        };
        var i = 4;
        foreach (var (contentId, likedAtMs) in newest)
        {
            args[i++] = contentId;
            args[i++] = likedAtMs;
        }

        var result = await redis.GetDatabase().ScriptEvaluateAsync(ReplaceScript, [keys.Timeline(userId), keys.Bloom(userId), keys.BloomStaging(userId)], args);
        return (long)result >= 0;
    }

    /// <summary>The timeline's state as Redis holds it now.</summary>
    public async Task<TimelineState> StateAsync(long userId)
        => StateOf(await redis.GetDatabase().SortedSetScoreAsync(keys.Timeline(userId), Sentinel));

    /// <summary>
    /// Applies each user's net changes with one script call per user, all pipelined: one round trip per
    /// batch. Returns how many timeline members really changed, and the users whose timeline is truncated
    /// without a filter that fits (a rebuild gives them one).
    /// </summary>
    public async Task<(long Changed, IReadOnlyList<long> NeedFilter)> ApplyAsync(IEnumerable<IGrouping<long, PairChange>> changesByUser, ulong lastSequence)
    {
        var db = redis.GetDatabase();
        var calls = new List<(long UserId, Task<RedisResult> Call)>();
        var ttl = (long)options.Value.IdleExpiry.TotalMilliseconds;
        foreach (var changes in changesByUser)
        {
            var args = new RedisValue[3 + changes.Count() * 5];
            args[0] = options.Value.Size;
            args[1] = ttl;
            args[2] = lastSequence;
            var i = 3;
            foreach (var change in changes)
            {
                var hash = BloomHash.Of(change.ContentId);
                args[i++] = change.ContentId;
                args[i++] = change.Action == LikeAction.Unlike ? "U" : change.Relike ? "R" : "L";
                args[i++] = change.AtMs;
                args[i++] = hash.H1;
                args[i++] = hash.H2;
            }

            calls.Add((changes.Key, db.ScriptEvaluateAsync(ApplyScript, [keys.Timeline(changes.Key), keys.Bloom(changes.Key)], args)));
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

    /// <summary>The state a page read found, from the sentinel's score.</summary>
    public static TimelineState StateOf(double? sentinelScore)
        => sentinelScore is { } score ? (TimelineState)(long)(-score % 4) : TimelineState.Missing;

    /// <summary>The stream sequence a timeline reflects, from the sentinel's score.</summary>
    public static ulong AppliedThrough(double sentinelScore) => (ulong)(-sentinelScore / 4);

    /// <summary>The sentinel's score for a state and the stream sequence the timeline reflects.</summary>
    public static double SentinelScore(TimelineState state, ulong appliedThrough) => -((double)appliedThrough * 4 + (int)state);
}
