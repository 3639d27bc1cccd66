extern alias edge;
extern alias reheater;
using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using edge::Likes.Edge.Reads;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Reheating;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;
using static reheater::Likes.Reheater.ReheaterRegistration;
using TimelineRebuilder = reheater::Likes.Reheater.TimelineRebuilder;

namespace Likes.Edge.Tests.Figures;

/// <summary>
/// The cold path in figures, on the live stack (edge in-process, aggregator, persister, reheater; N = 1,000):
/// how long the reheater takes to rebuild a user with N, 10 × N and 100 × N likes (timeline, and Bloom filter
/// when there are more than N), and feed-state latency while Redis, emptied under load, refills from PostgreSQL.
/// Prints; asserts only that every answer given was right.
/// <code>LIKES_FIGURES=1 dotnet test tests/Likes.Edge.Tests -c Release --no-build --filter ColdPathFigures --logger "console;verbosity=detailed"</code>
/// </summary>
[Collection(nameof(ColdPathFigures))]
public sealed class ColdPathFigures(ReheatingStackFixture stack, ITestOutputHelper output) : IClassFixture<ReheatingStackFixture>
{
    private const int Users = 2000;
    private const int LikesPerUser = 50;
    private const int HeavyUsers = 100;
    private const int HeavyLikes = 1500;
    private const int Contents = 20_000;
    private const int Clients = 16;
    private const int PageSize = 20;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [FiguresFact]
    public async Task RebuildTimes_ForNTenNAndAHundredNLikes_ArePrinted()
    {
        await using var reheaterHost = await DaemonHost.StartAsync("reheater", b => b.AddReheater(), stack.Configuration());
        var rebuilder = reheaterHost.Services.GetRequiredService<TimelineRebuilder>();
        var db = stack.Redis.GetDatabase();
        var keys = stack.Store.Keys;
        foreach (var (user, likes) in new[] { (9_000_001L, 1000), (9_000_002L, 10_000), (9_000_003L, 100_000) })
        {
            await using (var c = await stack.Postgres.OpenConnectionAsync())
            {
                await c.ExecuteAsync(
                    "INSERT INTO likes SELECT @user, 5000000 + i, to_timestamp((1764000000000 + i * 1000) / 1000.0) FROM generate_series(1, @likes) i",
                    new { user, likes }, commandTimeout: 300);
                await c.ExecuteAsync("ANALYZE likes");
            }

            var times = new List<double>();
            for (var run = 0; run < 5; run++)
            {
                await db.KeyDeleteAsync([keys.Timeline(user), keys.Bloom(user)]);
                var clock = Stopwatch.StartNew();
                var outcome = await rebuilder.RebuildAsync(new ReheatRequest(user), CancellationToken.None);
                times.Add(clock.Elapsed.TotalMilliseconds);
                Assert.Equal("Rebuilt", outcome.ToString());
            }

            var filter = await stack.Store.StoredFilterAsync(user);
            times.Sort();
            output.WriteLine($"rebuild of a user with {likes,7:N0} likes: median {times[2],7:F1} ms, max {times[^1],7:F1} ms (5 runs); "
                + (filter is null ? "no filter (complete timeline)" : $"filter of {filter.Shape.Bytes:N0} bytes, {filter.Shape.Hashes} probes, for {filter.Shape.Capacity:N0} likes"));
        }
    }

    [FiguresFact]
    public async Task FeedStateLatency_WhileRedisRefills_IsPrintedAgainstSteadyState()
    {
        await SeedAsync();
        var metrics = stack.Host.Services.GetRequiredService<ReadMetrics>();
        var tokens = Enumerable.Range(1, Users).ToDictionary(u => (long)u, u => Tokens.For(u));

        var warm = await WarmAsync(tokens);
        output.WriteLine($"warm-up: every user read once, then Redis filled in {warm.TotalSeconds:F1} s");
        var steady = await LoadAsync(tokens, TimeSpan.FromSeconds(10));
        output.WriteLine($"steady state: {steady.Summary()}");

        var queries = Queries(metrics);
        // What FLUSHALL does to Likes, without touching anyone else's keys on the shared server: every key the
        // workload uses, deleted in a few pipelined commands.
        var keys = stack.Store.Keys;
        var seeded = Enumerable.Range(1, Users).SelectMany(u => new RedisKey[] { keys.Timeline(u), keys.Bloom(u) })
            .Concat(Enumerable.Range(1, Contents).Select(c => (RedisKey)keys.CounterBucket(c)).Distinct()).ToArray();
        var db = stack.Redis.GetDatabase();
        var loading = LoadAsync(tokens, TimeSpan.FromSeconds(10));
        var flush = Stopwatch.StartNew();
        await Task.WhenAll(seeded.Chunk(1000).Select(chunk => db.KeyDeleteAsync(chunk)));
        output.WriteLine($"Redis emptied at t = 0 ({seeded.Length:N0} keys deleted in {flush.Elapsed.TotalMilliseconds:F0} ms, under load):");
        var perSecond = new List<(long Queries, long Timelines)>();
        while (!loading.IsCompleted)
        {
            var (before, timelines) = (Queries(metrics), await TimelinesAsync(tokens.Keys));
            await Task.WhenAny(loading, Task.Delay(Window));
            perSecond.Add((Queries(metrics) - before, timelines));
        }

        var refill = await loading;
        foreach (var (second, window) in refill.Windows.OrderBy(w => w.Key))
        {
            var sampled = second < perSecond.Count ? $"; {perSecond[second].Queries,5} PostgreSQL queries, {perSecond[second].Timelines,4} timelines in Redis at its start" : string.Empty;
            output.WriteLine($"  second {second,2}: {Summary(window)}{sampled}");
        }

        output.WriteLine($"refill total: {refill.Summary()}; PostgreSQL fallback queries meanwhile: {Queries(metrics) - queries}");
        // Steady state again: the machine's load drifts, so the refill is bracketed by a measurement on each side.
        var after = await LoadAsync(tokens, TimeSpan.FromSeconds(10));
        output.WriteLine($"steady state after: {after.Summary()}");
        Assert.Equal(0, steady.Wrong + refill.Wrong + after.Wrong);
    }

    private async Task<int> TimelinesAsync(IEnumerable<long> users)
    {
        var db = stack.Redis.GetDatabase();
        return (await Task.WhenAll(users.Select(u => db.KeyExistsAsync(stack.Store.Keys.Timeline(u))))).Count(e => e);
    }

    private static long Queries(ReadMetrics metrics)
        => metrics.FallbackQueriesRun(ReadMetrics.Counts) + metrics.FallbackQueriesRun(ReadMetrics.Liked) + metrics.FallbackQueriesRun(ReadMetrics.Page);

    /// <summary>User u likes contents (u × L + k) mod C + 1, k &lt; L (L = 1,500 for the first 100 users, 50 for the rest), one second apart.</summary>
    private static int LikesOf(long user) => user <= HeavyUsers ? HeavyLikes : LikesPerUser;

    private static bool Likes(long user, long content) => ((content - 1 - (user * LikesOf(user))) % Contents + Contents) % Contents < LikesOf(user);

    private async Task SeedAsync()
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        await c.ExecuteAsync($"""
            INSERT INTO likes
            SELECT u, ((u * l + k) % {Contents}) + 1, to_timestamp((1764000000000 + u * 10000000 + k * 1000) / 1000.0)
            FROM generate_series(1::bigint, {Users}) u, LATERAL (SELECT CASE WHEN u <= {HeavyUsers} THEN {HeavyLikes} ELSE {LikesPerUser} END AS l) n, generate_series(0, n.l - 1) k;
            INSERT INTO content_like_counts (content_id, like_count, version) SELECT content_id, count(*), 1 FROM likes GROUP BY content_id
            ON CONFLICT (content_id) DO UPDATE SET like_count = excluded.like_count, version = content_like_counts.version + 1;
            ANALYZE likes; ANALYZE content_like_counts;
            """, commandTimeout: 300);
    }

    /// <summary>Reads once for every user (asking for their rebuilds), then waits until every timeline is back.</summary>
    private async Task<TimeSpan> WarmAsync(Dictionary<long, string> tokens)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = Clients },
            async (user, _) => await stack.Client.FeedStateOkAsync(user.Value, (user.Key * LikesOf(user.Key) % Contents) + 1));
        await Eventually.UntilAsync(async () => await TimelinesAsync(tokens.Keys) == tokens.Count, TimeSpan.FromSeconds(120), "every timeline rebuilt");
        return clock.Elapsed;
    }

    /// <summary>Closed-loop clients reading 20-id pages (10 of the user's likes, 10 random contents) for random users.</summary>
    private async Task<Run> LoadAsync(Dictionary<long, string> tokens, TimeSpan duration)
    {
        var run = new Run();
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client + (int)started.ElapsedTicks);
            while (started.Elapsed < duration)
            {
                var user = random.NextInt64(1, Users + 1);
                var ids = Enumerable.Range(0, PageSize / 2).Select(_ => ((user * LikesOf(user)) + random.Next(LikesOf(user))) % Contents + 1)
                    .Concat(Enumerable.Range(0, PageSize / 2).Select(_ => (long)random.Next(1, Contents + 1))).Distinct().ToArray();
                var at = started.Elapsed;
                var clock = Stopwatch.StartNew();
                var state = await stack.Client.FeedStateOkAsync(tokens[user], ids);
                run.Add((int)(at / Window), clock.Elapsed.TotalMilliseconds, state.Degraded == true,
                    state.Items.Any(i => i.Liked is { } liked && liked != Likes(user, long.Parse(i.ContentId, System.Globalization.CultureInfo.InvariantCulture))));
            }
        })));
        return run;
    }

    private static string Summary(List<double> latencies)
    {
        latencies.Sort();
        return $"{latencies.Count,6} reads, p50 {Percentile(latencies, 0.50),6:F2} ms, p99 {Percentile(latencies, 0.99),7:F2} ms, max {latencies[^1],7:F1} ms";
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private sealed class Run
    {
        private int _wrong;
        private int _degraded;

        public ConcurrentDictionary<int, List<double>> Windows { get; } = new();

        public int Requests => Windows.Values.Sum(w => w.Count);

        public int Wrong => _wrong;

        public int Degraded => _degraded;

        public void Add(int window, double ms, bool degraded, bool wrong)
        {
            var list = Windows.GetOrAdd(window, _ => []);
            lock (list)
            {
                list.Add(ms);
            }

            Interlocked.Add(ref _degraded, degraded ? 1 : 0);
            Interlocked.Add(ref _wrong, wrong ? 1 : 0);
        }

        public string Summary() => $"{ColdPathFigures.Summary([.. Windows.Values.SelectMany(w => w)])}, {Degraded} degraded, {Wrong} wrong";
    }
}

[CollectionDefinition(nameof(ColdPathFigures), DisableParallelization = true)]
public sealed class ColdPathFiguresCollection;
