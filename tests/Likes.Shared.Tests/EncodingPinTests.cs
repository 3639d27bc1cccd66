using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Bloom;
using StackExchange.Redis;
using Xunit;

namespace Likes.Shared.Tests;

/// <summary>
/// The encodings C# and the Lua scripts share (<see cref="TimelineSentinel"/>, <see cref="BloomShape"/>'s header,
/// <see cref="BloomHash"/>'s positions, position order) pinned to each other: what one side writes, the other reads
/// back the same, in the real Redis.
/// </summary>
public sealed class EncodingPinTests : IAsyncLifetime
{
    private readonly string _prefix = "pin" + Guid.NewGuid().ToString("N")[..8] + ":";
    private ConnectionMultiplexer _redis = null!;

    public static TheoryData<long, ulong, TimelineState> Sentinels => new()
    {
        { 0, 0, TimelineState.Complete },
        { 1_764_773_001_123_456, 1, TimelineState.Partial },
        { 1_764_773_001_123_456, 123_456_789_012, TimelineState.Truncated },
        { 4_102_444_800_000_000, (1UL << 50) - 1, TimelineState.Complete },
    };

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);

    public async Task DisposeAsync()
    {
        await _redis.DeleteKeysAsync(_prefix + "*");

        await _redis.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Sentinels))]
    public async Task ASentinelWrittenByLua_IsReadByCSharp_AndOneWrittenByCSharp_IsReadByLua(long epoch, ulong applied, TimelineState state)
    {
        var db = _redis.GetDatabase();
        var written = new TimelineSentinel(epoch, applied, state);
        RedisKey byLua = _prefix + "lua", byCSharp = _prefix + "cs";
        await db.ScriptEvaluateAsync(RedisScripts.Encodings + "sentinel_put(KEYS[1], nil, ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])) redis.call('ZADD', KEYS[1], 5, '42') return 0",
            [byLua], [epoch, applied, (int)state]);
        await db.SortedSetAddAsync(byCSharp, [new SortedSetEntry(written.Member, written.Score), new SortedSetEntry("42", 5)]);

        var rankZero = await db.SortedSetRangeByRankWithScoresAsync(byLua, 0, 0);
        Assert.True(TimelineSentinel.TryRead(rankZero[0], out var read));
        Assert.Equal(written, read);
        var seen = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Encodings +
            "local s = sentinel_get(KEYS[1]) return {string.format('%.0f', s.epoch), string.format('%.0f', s.applied), s.state, s.member}", [byCSharp]))!;
        Assert.Equal([epoch.ToString(), applied.ToString(), ((int)state).ToString(), written.Member],
            seen.Select(v => (string)v!));
    }

    [Fact]
    public async Task PositionsOrderAlike_InLuaAndCSharp()
    {
        (long Epoch, ulong Sequence)[] positions = [(0, 0), (0, 9), (1, 0), (1, 1), (1_764_773_001_123_456, 5), (1_764_773_001_123_457, 0)];
        foreach (var a in positions)
        {
            foreach (var b in positions)
            {
                var lua = (int)await _redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.Encodings +
                    "if position_le(tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])) then return 1 end return 0",
                    [], [a.Epoch, a.Sequence, b.Epoch, b.Sequence]);
                Assert.Equal(new Streams.EventPosition(a.Epoch, a.Sequence) <= new Streams.EventPosition(b.Epoch, b.Sequence) ? 1 : 0, lua);
            }
        }
    }

    [Fact]
    public async Task ABloomFilterBuiltByCSharp_ReadsTheSameHeaderAndBitsInLua()
    {
        var db = _redis.GetDatabase();
        var filter = new BloomBitmap(BloomShape.For(500, 0.01));
        foreach (var id in Enumerable.Range(1, 300))
        {
            filter.Add(id);
        }

        RedisKey key = _prefix + "bloom";
        await db.StringSetAsync(key, filter.ToBytes());
        var header = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Encodings +
            "local h = bloom_header(KEYS[1], 'BITFIELD_RO') return {h.bits, h.hashes, h.capacity, h.inserted}", [key]))!;
        Assert.Equal([(long)filter.Shape.Bits, filter.Shape.Hashes, filter.Shape.Capacity, filter.Inserted], header.Select(v => (long)v));

        foreach (var id in new long[] { 1, 150, 300, 100_001, 9_223_372_036_854_775_807 })
        {
            var hash = BloomHash.Of(id);
            var lua = (long)await db.ScriptEvaluateAsync(RedisScripts.Encodings + """
                local h = bloom_header(KEYS[1], 'BITFIELD_RO')
                for p = 0, h.hashes - 1 do
                  if redis.call('GETBIT', KEYS[1], bloom_bit(h, tonumber(ARGV[1]), tonumber(ARGV[2]), p)) == 0 then return 0 end
                end
                return 1
                """, [key], [hash.H1, hash.H2]);
            Assert.Equal(filter.MightContain(id) ? 1L : 0L, lua);
        }
    }
}
