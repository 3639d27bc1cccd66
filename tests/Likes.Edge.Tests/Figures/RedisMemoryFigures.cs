using System.Diagnostics;
using System.Globalization;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Edge.Tests.Figures;

/// <summary>
/// What each Likes key costs in Redis (<c>MEMORY USAGE</c> on keys written the way the daemons write them),
/// Redis bytes per like for active and inactive users against the naive design (a SET of liker ids per
/// content), and the Redis time of the feed-state probe on a full timeline in the server's encoding. Prints;
/// asserts only what the figures rest on. The encodings follow the server's configuration: run it against a
/// Redis started the way scripts/servers.sh starts it (LIKES_TEST_REDIS) for the project's settings.
/// <code>LIKES_FIGURES=1 dotnet test tests/Likes.Edge.Tests -c Release --no-build --filter RedisMemoryFigures --logger "console;verbosity=detailed"</code>
/// </summary>
[Collection(nameof(RedisMemoryFigures))]
public sealed class RedisMemoryFigures(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private const long Epoch = 1_764_000_000_000;
    private const int ProbeCalls = 2000;

    private readonly RedisKeys _keys = new(stack.KeyPrefix);

    private IDatabase Redis => stack.Redis.GetDatabase();

    [FiguresFact]
    public async Task EachKeysCost_AndBytesPerLike_ArePrinted()
    {
        // Reading the server's configuration and command statistics takes an admin connection; nothing is changed.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis + ",allowAdmin=true");
        var server = admin.Masters()[0];
        var config = (await server.ConfigGetAsync("zset-max-listpack-*")).Concat(await server.ConfigGetAsync("maxmemory-policy"))
            .Select(p => $"{p.Key} {p.Value}");
        output.WriteLine($"Redis {server.Version}: {string.Join(", ", config)}");
        var timelines = new TimelineStore(stack.Redis, _keys, Microsoft.Extensions.Options.Options.Create(new TimelineOptions { Size = 1000 }));
        var random = new Random(42);
        long NextContent() => random.NextInt64(1, 10_000_000_000);

        output.WriteLine("key                                   | bytes   | encoding  | per like");
        var perTimelineLike = 0.0;
        foreach (var likes in (int[])[10, 100, 1000])
        {
            long user = likes;
            var newest = Enumerable.Range(0, likes).Select(i => (NextContent(), Epoch - (i * 60_000L))).ToList();
            await timelines.ReplaceAsync(user, new Likes.Shared.Streams.EventPosition(1, 123_456), likes == 1000 ? TimelineState.Truncated : TimelineState.Complete, newest);
            var bytes = await UsageAsync(_keys.Timeline(user));
            perTimelineLike = (double)bytes / likes;
            output.WriteLine($"timeline of {likes,4} likes (+ sentinel)       | {bytes,7} | {await EncodingAsync(_keys.Timeline(user)),-9} | {perTimelineLike,5:F1}");
        }

        // A full bucket of counters like "123456:7890", and a bucket holding one ghost only (it expires).
        const long FullBucket = RedisKeys.CountersPerBucket;
        var fields = Enumerable.Range(0, RedisKeys.CountersPerBucket)
            .Select(i => new HashEntry(RedisKeys.CounterField(FullBucket + i), new CounterValue(random.Next(1, 1_000_000), random.Next(1, 100_000)).ToString()))
            .ToArray();
        await Redis.HashSetAsync(_keys.CounterBucket(FullBucket), fields);
        var bucket = await UsageAsync(_keys.CounterBucket(FullBucket));
        var counter = (double)bucket / fields.Length;
        output.WriteLine($"counter bucket of {fields.Length} counters          | {bucket,7} | {await EncodingAsync(_keys.CounterBucket(FullBucket)),-9} | {counter,5:F1} per counter");
        const long GhostBucket = 2 * FullBucket;
        await new CounterStore(stack.Redis, _keys).WriteGhostsAsync([GhostBucket], TimeSpan.FromSeconds(30));
        output.WriteLine($"bucket of one ghost (30 s expiry)     | {await UsageAsync(_keys.CounterBucket(GhostBucket)),7} | {await EncodingAsync(_keys.CounterBucket(GhostBucket)),-9} |");

        var bloomPerLike = 0.0;
        foreach (var (label, capacity) in new[] { ("Bloom filter, 5,000 likes, sized 5,000 ", 5000), ("Bloom filter, 5,000 likes, headroom 2  ", 10_000) })
        {
            var filter = new BloomBitmap(BloomShape.For(capacity, 0.01));
            for (var i = 0; i < 5000; i++)
            {
                filter.Add(NextContent());
            }

            await Redis.StringSetAsync(_keys.Bloom(capacity), filter.ToBytes());
            var bytes = await UsageAsync(_keys.Bloom(capacity));
            bloomPerLike = bytes / 5000.0;
            output.WriteLine($"{label}(1 %) | {bytes,7} | {await EncodingAsync(_keys.Bloom(capacity)),-9} | {bloomPerLike,5:F2}");
        }

        // The naive design: every liker of a content in one SET (intset while small and numeric, then a hash table).
        var naivePerLike = 0.0;
        foreach (var likers in (int[])[100, 10_000])
        {
            var key = $"{stack.KeyPrefix}naive:{likers}";
            foreach (var chunk in Enumerable.Range(0, likers).Select(_ => (RedisValue)random.NextInt64(1, 100_000_000)).Chunk(1000))
            {
                await Redis.SetAddAsync(key, chunk);
            }

            var bytes = await UsageAsync(key);
            naivePerLike = (double)bytes / likers;
            output.WriteLine($"naive SET of {likers,6} liker ids          | {bytes,7} | {await EncodingAsync(key),-9} | {naivePerLike,5:F1}");
        }

        output.WriteLine(string.Empty);
        output.WriteLine("Redis bytes per like (K = likes per content sharing one counter; timeline at its fullest, 1,000):");
        foreach (var k in (int[])[1, 10, 100])
        {
            var counterShare = counter / k;
            output.WriteLine($"  K = {k,3}: active user {perTimelineLike + counterShare,6:F1} (heavy, with its filter: {perTimelineLike + counterShare + bloomPerLike,6:F1}), inactive user {counterShare,6:F1}, naive {naivePerLike,6:F1}");
        }

        await ProbeTimeAsync(server);
    }

    /// <summary>Redis's own time per feed-state probe (20 ids, all absent) on the full timeline: INFO commandstats, before and after.</summary>
    private async Task ProbeTimeAsync(IServer server)
    {
        var probe = new LikedStateProbe(_keys, Microsoft.Extensions.Options.Options.Create(new TimelineOptions()));
        var ids = Enumerable.Range(1, 20).Select(i => (long)i).ToList();
        var before = await ScriptStatsAsync(server);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < ProbeCalls; i++)
        {
            var batch = Redis.CreateBatch();
            var call = probe.Queue(batch, 1000, ids);
            batch.Execute();
            await call;
        }

        clock.Stop();
        var after = await ScriptStatsAsync(server);
        var calls = after.Calls - before.Calls;
        output.WriteLine(string.Empty);
        output.WriteLine($"feed-state probe, 20 absent ids, timeline of 1,000 ({await EncodingAsync(_keys.Timeline(1000))}): "
            + $"{(after.Usec - before.Usec) / (double)Math.Max(1, calls):F1} µs of Redis per call ({calls} EVAL/EVALSHA calls on the server meanwhile); "
            + $"{clock.Elapsed.TotalMilliseconds * 1000 / ProbeCalls:F0} µs per round trip from here");
    }

    private static async Task<(long Calls, long Usec)> ScriptStatsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).Where(p => p.Key is "cmdstat_evalsha" or "cmdstat_eval").ToList();
        long Field(string text, string name) => long.Parse(text.Split(',').First(f => f.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
        return (stats.Sum(s => Field(s.Value, "calls")), stats.Sum(s => Field(s.Value, "usec")));
    }

    private async Task<long> UsageAsync(string key) => (long)await Redis.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");

    private async Task<string> EncodingAsync(string key) => (string?)await Redis.ExecuteAsync("OBJECT", "ENCODING", key) ?? "?";
}

[CollectionDefinition(nameof(RedisMemoryFigures), DisableParallelization = true)]
public sealed class RedisMemoryFiguresCollection;
