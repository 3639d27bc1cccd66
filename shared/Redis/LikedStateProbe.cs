using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// Whether a user likes each id of a feed page, as far as Redis knows, in one script over the user's two keys
/// (both hash-tagged <c>{user}</c>: one cluster slot): the timeline's sentinel and each id's score (one
/// <c>ZMSCORE</c>), then, for the ids the timeline cannot decide, the Bloom filter's bits (one
/// <c>BITFIELD_RO</c>). It also keeps both keys warm: a read pushes their idle expiry out (GT: never shortens one).
/// </summary>
public sealed class LikedStateProbe(RedisKeys keys, IOptions<TimelineOptions> options)
{
    // KEYS[1] timeline, KEYS[2] Bloom filter; ARGV[1] idle ttl ms (0 = none); then (content, h1, h2) per id.
    // Returns {state, filter state, one answer per id}: 1 in the timeline, 0 absent from a complete timeline,
    // 2 the filter says no, 3 the filter says maybe, 4 nothing in Redis can tell. A filter present is used
    // whatever the timeline's state: it always holds every like of the user (docs/redis.md).
    private const string Script = """
        local key, filter = KEYS[1], KEYS[2]
        local members = {'0'}
        for i = 2, #ARGV, 3 do members[#members + 1] = ARGV[i] end
        local scores = redis.call('ZMSCORE', key, unpack(members))
        local state = 0
        if scores[1] then state = (-tonumber(scores[1])) % 4 end
        local f = redis.call('BITFIELD_RO', filter, 'GET', 'u32', 0, 'GET', 'u32', 32, 'GET', 'u32', 64, 'GET', 'u32', 96)
        local m, k = f[1], f[2]
        local filterState = 0
        if m > 0 then
          filterState = 1
          if f[4] > f[3] then filterState = 2 end
        end
        local answers = {state, filterState}
        local probed, positions = {}, {}
        for j = 2, #scores do
          local a = 4
          if scores[j] then
            a = 1
          elseif state == 1 then
            a = 0
          elseif m > 0 then
            a = 3
            local i = 3 * j - 4
            local h1, h2 = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
            for p = 0, k - 1 do positions[#positions + 1] = 128 + (h1 + p * h2) % m end
            probed[#probed + 1] = j + 1
          end
          answers[j + 1] = a
        end
        local bits = {}
        for first = 1, #positions, 1000 do
          local gets = {}
          for p = first, math.min(first + 999, #positions) do
            gets[#gets + 1] = 'GET'
            gets[#gets + 1] = 'u1'
            gets[#gets + 1] = positions[p]
          end
          local got = redis.call('BITFIELD_RO', filter, unpack(gets))
          for p = 1, #got do bits[#bits + 1] = got[p] end
        end
        for q = 1, #probed do
          for p = (q - 1) * k + 1, q * k do
            if bits[p] == 0 then
              answers[probed[q]] = 2
              break
            end
          end
        end
        local ttl = tonumber(ARGV[1])
        if ttl > 0 then
          redis.call('PEXPIRE', key, ttl, 'GT')
          if m > 0 then redis.call('PEXPIRE', filter, ttl, 'GT') end
        end
        return answers
        """;

    private readonly long _idleTtlMs = (long)options.Value.IdleExpiry.TotalMilliseconds;

    /// <summary>Queues the probe on a batch the caller executes with the page's other reads: one round trip.</summary>
    public Task<RedisResult> Queue(IBatch batch, long userId, IReadOnlyList<long> contentIds)
    {
        var args = new RedisValue[1 + contentIds.Count * 3];
        args[0] = _idleTtlMs;
        var i = 1;
        foreach (var contentId in contentIds)
        {
            var hash = BloomHash.Of(contentId);
            args[i++] = contentId;
            args[i++] = hash.H1;
            args[i++] = hash.H2;
        }

        return batch.ScriptEvaluateAsync(Script, [keys.Timeline(userId), keys.Bloom(userId)], args);
    }

    /// <summary>The answers of a probe, one per id in the order it was queued.</summary>
    public static PageLikedState Read(RedisResult result)
    {
        var values = (RedisResult[])result!;
        var answers = new LikedAnswer[values.Length - 2];
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = (LikedAnswer)(int)values[i + 2];
        }

        return new PageLikedState((TimelineState)(int)values[0], (BloomFilterState)(int)values[1], answers);
    }
}
