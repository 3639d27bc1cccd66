using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// Whether a user likes each id of a feed page, as far as Redis knows, in one script over the user's two keys
/// (both hash-tagged <c>{user}</c>: one cluster slot; Scripts/liked-state.lua): the timeline's sentinel and each id's
/// score, then, for the ids the timeline cannot decide, the Bloom filter's bits. It also keeps both keys warm.
/// </summary>
public sealed class LikedStateProbe(RedisKeys keys, IOptions<TimelineOptions> options)
{
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

        return RedisScripts.LikedState.EvaluateAsync(batch, [keys.Timeline(userId), keys.Bloom(userId)], args);
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
