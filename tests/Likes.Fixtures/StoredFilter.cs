using Likes.Shared;
using Likes.Shared.Bloom;
using StackExchange.Redis;

namespace Likes.Fixtures;

/// <summary>A user's Bloom filter as Redis holds it, read back and asked from the test's side.</summary>
public sealed class StoredFilter
{
    private readonly byte[] _bytes;

    private StoredFilter(byte[] bytes, BloomShape shape, uint inserted)
    {
        _bytes = bytes;
        Shape = shape;
        Inserted = inserted;
    }

    public BloomShape Shape { get; }

    public uint Inserted { get; }

    /// <summary>The user's filter, or null when there is none.</summary>
    public static async Task<StoredFilter?> ReadAsync(IDatabase redis, RedisKeys keys, long userId)
    {
        var bytes = (byte[]?)await redis.StringGetAsync(keys.Bloom(userId));
        return bytes is not null && BloomShape.TryRead(bytes, out var shape, out var inserted) ? new StoredFilter(bytes, shape, inserted) : null;
    }

    public bool MightContain(long contentId) => BloomBitmap.MightContain(_bytes, Shape, contentId);
}
