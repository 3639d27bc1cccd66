using System.Globalization;
using Likes.Fixtures;
using StackExchange.Redis;

namespace Likes.Bench.Memory;

/// <summary>
/// The naive design the system is measured against: one Redis SET of liker ids per content, holding every
/// relation (its SCARD is the count, SISMEMBER the "did I like it"). Built in the same Redis under a scratch
/// prefix, measured with the same <see cref="RedisMemory"/>, and deleted again.
/// </summary>
public sealed class NaiveLikerSets(IConnectionMultiplexer redis, string prefix)
{
    private const int MembersPerCommand = 1_000;
    private const int CommandsInFlight = 500;

    public async Task<NaiveFigures> MeasureAsync(IEnumerable<(long ContentId, long[] Likers)> likersByContent)
    {
        var memory = new RedisMemory(redis);
        var db = redis.GetDatabase();
        var keys = new List<RedisKey>();
        var before = await memory.UsedMemoryAsync();
        try
        {
            var pending = new List<Task>(CommandsInFlight);
            foreach (var (content, likers) in likersByContent)
            {
                var key = (RedisKey)(prefix + content.ToString(CultureInfo.InvariantCulture));
                keys.Add(key);
                foreach (var chunk in likers.Chunk(MembersPerCommand))
                {
                    pending.Add(db.SetAddAsync(key, [.. chunk.Select(u => (RedisValue)u)]));
                    if (pending.Count == CommandsInFlight)
                    {
                        await Task.WhenAll(pending);
                        pending.Clear();
                    }
                }
            }

            await Task.WhenAll(pending);
            var after = await memory.UsedMemoryAsync();
            var cost = await memory.MeasureAsync(keys);
            return new NaiveFigures(cost.Keys, cost.Bytes, after - before);
        }
        finally
        {
            await db.DeleteEachAsync(keys);
        }
    }
}

/// <param name="UsedMemoryDelta">Redis's used_memory growth while the sets were built: a cross-check, noisy on a shared server.</param>
public sealed record NaiveFigures(long Sets, long Bytes, long UsedMemoryDelta);
