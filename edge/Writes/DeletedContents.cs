using Likes.Edge.Reads;
using Likes.Shared;

namespace Likes.Edge.Writes;

/// <summary>
/// Whether a like is of a deleted content, from its Redis counter (<c>d:version</c>) alone: the write path reads no
/// PostgreSQL. When Redis cannot say, the like is accepted, and the persister, which never inserts a like of a deleted
/// content, drops it.
/// </summary>
public sealed class DeletedContents(RedisReads redis, RedisKeys keys)
{
    public async Task<bool> IsDeletedAsync(long contentId)
    {
        if (!redis.Usable())
        {
            return false;
        }

        var read = CounterStore.Read(redis.Database, keys, contentId);
        return await redis.AwaitAsync(read) && CounterValue.TryParse(read.Result, out var counter) && counter.Deleted;
    }
}
