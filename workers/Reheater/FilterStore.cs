using Likes.Shared;
using Likes.Shared.Bloom;
using StackExchange.Redis;

namespace Likes.Reheater;

/// <summary>
/// The reheater's side of the Bloom filters in Redis: what a user has now (timeline state and filter, one
/// round trip), and a new filter written next to the old one, in chunks, for the timeline rebuild to swap in.
/// </summary>
public sealed class FilterStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    // Bounds each command's size: a filter of millions of likes is megabytes.
    private const int ChunkBytes = 256 * 1024;

    public async Task<(TimelineState Timeline, BloomFilterState Filter)> InspectAsync(long userId)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var sentinel = batch.SortedSetRangeByRankWithScoresAsync(keys.Timeline(userId), 0, 0);
        var header = batch.StringGetRangeAsync(keys.Bloom(userId), 0, BloomShape.HeaderBytes - 1);
        batch.Execute();
        await Task.WhenAll(sentinel, header);
        var filter = !BloomShape.TryRead((byte[]?)header.Result, out var shape, out var inserted) ? BloomFilterState.Missing
            : inserted > shape.Capacity ? BloomFilterState.Overfull
            : BloomFilterState.Fit;
        return (TimelineSentinel.StateOf(sentinel.Result), filter);
    }

    /// <summary>
    /// Writes <paramref name="filter"/> to the staging key of the rebuild <paramref name="rebuild"/> (one pipelined round
    /// trip); it expires after <paramref name="ttl"/> unless swapped in.
    /// </summary>
    public async Task StageAsync(long userId, string rebuild, ReadOnlyMemory<byte> filter, TimeSpan ttl)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var key = keys.BloomStaging(userId, rebuild);
        var writes = new List<Task>();
        for (var offset = 0; offset < filter.Length; offset += ChunkBytes)
        {
            var chunk = filter.Slice(offset, Math.Min(ChunkBytes, filter.Length - offset));
            writes.Add(offset == 0 ? batch.StringSetAsync(key, chunk, ttl) : batch.StringSetRangeAsync(key, offset, chunk));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }
}
