using Likes.Fixtures;
using StackExchange.Redis;
using Xunit;

namespace Likes.Shared.Tests;

/// <summary>
/// <see cref="CounterStore.Read(IDatabaseAsync, RedisKeys, IReadOnlyList{long})"/> asks one <c>HMGET</c> per bucket and
/// hands the values back in the order of the ids asked, in the real Redis.
/// </summary>
public sealed class CounterReadTests : IAsyncLifetime
{
    private readonly string _prefix = "cr" + Guid.NewGuid().ToString("N")[..8] + ":";
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);

    public async Task DisposeAsync()
    {
        await _redis.DeleteKeysAsync(_prefix + "*");
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task APageOverSeveralBuckets_ReadsEachCounterInTheOrderAsked_NullWhereNoneIs()
    {
        var keys = new RedisKeys(_prefix);
        var store = new CounterStore(_redis, keys);
        // Buckets 71, 3 and 0, interleaved; 7_150 and 299 have no counter; 7_100 is asked twice.
        long[] page = [7_105, 301, 7_150, 7, 7_199, 299, 7_100, 350, 7_100];
        var stored = new Dictionary<long, CounterValue>
        {
            [7_105] = new(5, 1),
            [301] = new(31, 2),
            [7] = new(7, 3),
            [7_199] = new(99, 4),
            [7_100] = new(100, 5),
            [350] = new(35, 6),
        };
        await store.SetIfNewerAsync(stored.ToList());

        var batch = _redis.GetDatabase().CreateBatch();
        var read = CounterStore.Read(batch, keys, page);
        batch.Execute();
        var values = await read;

        Assert.Equal(page.Select(id => stored.TryGetValue(id, out var v) ? v.ToString() : null), values.Select(v => (string?)v));
    }
}
