using System.Diagnostics;
using System.Globalization;
using Likes.Bench.Checks;
using Likes.Bench.Fleet;
using Likes.Bench.Load;
using Likes.Bench.Memory;
using Likes.Bench.Scenarios;
using Likes.Bench.Workload;
using Likes.Shared;
using Npgsql;
using Spectre.Console;
using StackExchange.Redis;

namespace Likes.Bench.Demo;

/// <summary>
/// The showcase: thousands of simulated users scroll their feed (feed-state reads of 20 popular contents)
/// and like or unlike as they go, through the running edge; halfway through, a celebrity's post takes a
/// burst of likes from every one of them. A live line shows what the fleet does; then the summary
/// (<see cref="DemoSummary"/>) checks every accepted like against PostgreSQL and Redis.
/// </summary>
public sealed class DemoWorkload(BenchEnvironment env, DemoOptions options)
{
    private const int PageSize = 20;
    private static readonly TimeSpan FeedWindow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReadWarmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReadComparison = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan CatchUpWithin = TimeSpan.FromMinutes(5);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var edge = new EdgeClient(env.Edges, env.JwtKey, options.Clients + options.BurstClients);
        var traffic = new LikeTraffic(edge, new TrafficShape(options.Users, options.Contents, options.Clients, options.UnlikeShare));
        var celebrity = traffic.LastContent + 1;
        using var fleet = FleetDaemons.FromEnvironment();
        await using var stream = new FleetStream(env);
        await using var redis = await AdminRedis.ConnectAsync(env.Redis);
        var keys = new RedisKeys(env.KeyPrefix);
        var reads = new LatencyRecorder();
        var readsScrolling = new LatencyRecorder();
        var readsInBurst = new LatencyRecorder();
        var writes = new LatencyRecorder();
        var (warmUpReads, warmUpWrites) = (new LatencyRecorder(), new LatencyRecorder());
        var measuring = false;
        var window = new LatencyRecorder();
        var windowStarted = Stopwatch.GetTimestamp();
        var feedP99 = 0.0;
        var burstStarted = false;
        var inBurst = false;

        AnsiConsole.MarkupLine($"[bold]Likes demo[/]: {options.Users:N0} users scroll {options.Contents:N0} contents (Zipf) for {options.Duration.TotalSeconds:F0} s "
            + $"through {string.Join(", ", env.Edges)}; {options.WriteShare:P0} of page views end in a like or unlike; at {options.Duration.TotalSeconds / 2:F0} s a celebrity posts.");
        var population = DemoPopulation.Generate(options, traffic);
        LoadFigures loaded;
        await using (var postgres = NpgsqlDataSource.Create(env.Postgres))
        {
            var loading = new LiveLine();
            loaded = await new LikeGraphLoader(postgres, new CounterStore(redis, keys), rebuilder: null).LoadAsync(population, step => loading.Update("  population: " + step), ct);
            loading.Finish($"  population: {population.Shape.Users:N0} users with {population.Likes:N0} likes of the {options.Contents:N0} contents, loaded in {loaded.Seconds:F1} s; "
                + $"one in {options.UsersPerScroller} is active (the scrollers), the others have no timeline, as after their idle expiry");
        }

        var warmed = await ActiveUsers.WarmAsync(env, redis, keys, traffic.FirstUser, options.Users, ct);
        AnsiConsole.MarkupLine($"  {options.Users:N0} active users: their timelines built from their likes in PostgreSQL by the reheater in {warmed.TotalSeconds:F1} s");
        // One loop: the warm-up is its first WarmUp, recorded apart (a freshly started fleet compiles its paths and
        // fills its pools); the measured minute follows without the clients starting over in step.
        BurstFigures burst;
        LoadResult scrolled;
        var acceptedInWarmUp = 0;
        await using (var watch = FleetWatch.Start(fleet, stream))
        {
            var accepted = new ThroughputSeries();
            var line = new LiveLine();
            var scrolling = ClosedLoop.RunAsync(options.Clients, options.WarmUp + options.Duration, long.MaxValue, ScrollAsync, (_, elapsed) =>
            {
                if (!Volatile.Read(ref measuring))
                {
                    if (elapsed < options.WarmUp)
                    {
                        line.Update($"  warm-up {elapsed.TotalSeconds,5:F1} s  reads {warmUpReads.Ok,8:N0}  likes and unlikes {warmUpWrites.Ok,7:N0}");
                        return;
                    }

                    Volatile.Write(ref measuring, true);
                    acceptedInWarmUp = traffic.AcceptedOrder.Count;
                    windowStarted = Stopwatch.GetTimestamp();
                    var warmedUp = warmUpReads.Snapshot();
                    line.Finish($"  warm-up: the scrollers scrolled and liked for {options.WarmUp.TotalSeconds:F0} s before the measured minute "
                        + $"(the freshly started fleet compiling its paths): {warmUpReads.Ok:N0} feed reads, p50 {warmedUp.P50:F1} ms, p99 {warmedUp.P99:F1} ms; {warmUpWrites.Ok:N0} likes and unlikes accepted");
                    return;
                }

                var measured = elapsed - options.WarmUp;
                if (Stopwatch.GetElapsedTime(windowStarted) >= FeedWindow)
                {
                    feedP99 = Interlocked.Exchange(ref window, new LatencyRecorder()).Snapshot().P99;
                    windowStarted = Stopwatch.GetTimestamp();
                }

                var rate = accepted.Sample(traffic.AcceptedOrder.Count - acceptedInWarmUp, measured);
                var celebrityLine = burstStarted
                    ? $"  celebrity: {(CounterValue.TryParse(redis.GetDatabase().HashGet(keys.CounterBucket(celebrity), RedisKeys.CounterField(celebrity)), out var c) ? c.Count : 0),6:N0} likes counted"
                    : "";
                line.Update($"  {measured.TotalSeconds,5:F1} s  accepted {rate,6:N0}/s  applied {watch.PersisterPerSecond,6:N0}/s  "
                    + $"lag {watch.Lag,6:N0}  feed p99 {(feedP99 > 0 ? feedP99.ToString("F1", CultureInfo.InvariantCulture) : "-"),6} ms  reads {reads.Ok,8:N0}{celebrityLine}");
            }, ct);

            await Task.Delay(options.WarmUp + options.Duration / 2, ct);
            burstStarted = true;
            Volatile.Write(ref inBurst, true);
            burst = await new HotBurst(traffic, redis, keys).RunAsync(celebrity, traffic.FirstUser, options.BurstLikes, options.BurstClients, ct, quiet: true);
            Volatile.Write(ref inBurst, false);
            scrolled = await scrolling;
            line.Finish($"  {(scrolled.Elapsed - options.WarmUp).TotalSeconds,5:F1} s  done: {reads.Ok:N0} feed reads, {writes.Ok + burst.Likes:N0} likes and unlikes accepted "
                + $"({writes.Ok:N0} while scrolling, {burst.Likes:N0} in the burst)");
        }

        // The checks and the read comparison wait for the workers: reads before catch-up would measure lag, and load meanwhile would slow it.
        var settled = await CatchUp.WaitAsync(env, CatchUpWithin, ct);
        var (fromRedis, fromPostgres) = await CompareReadsAsync(edge, traffic, ct);
        return await new DemoSummary(env, redis, keys).WriteAsync(
            new DemoOutcome(options, traffic, population, celebrity, scrolled.Elapsed - options.WarmUp, reads, readsScrolling, readsInBurst, warmUpWrites, writes, burst, settled, fromRedis, fromPostgres), ct);

        string PagePath(Random random)
        {
            var page = new HashSet<long>(PageSize);
            while (page.Count < PageSize)
            {
                page.Add(traffic.PopularContent(random));
            }

            return "/v1/feed-state?ids=" + string.Join(',', page.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        }

        async Task<int> ScrollAsync(int client, Random random, CancellationToken token)
        {
            var user = traffic.UserOf(client, random);
            var readAt = Stopwatch.GetTimestamp();
            var measured = Volatile.Read(ref measuring);
            var (status, _) = await edge.GetAsync(user, PagePath(random), token);
            if (measured)
            {
                reads.Record(readAt, status);
                (Volatile.Read(ref inBurst) ? readsInBurst : readsScrolling).Record(readAt, status);
                Volatile.Read(ref window).Record(readAt, status);
            }
            else
            {
                warmUpReads.Record(readAt, status);
            }

            if (random.NextDouble() < options.WriteShare)
            {
                // The same user, so a user's writes stay sequential: the last accepted action per pair is well
                // defined. Not cut off when the time is up: a write may be accepted after all, unbeknown to the check.
                var writeAt = Stopwatch.GetTimestamp();
                (measured ? writes : warmUpWrites).Record(writeAt, await traffic.WriteAsync(user, traffic.PopularContent(random), random.NextDouble() >= options.UnlikeShare, ct));
            }

            await Task.Delay(ThinkTime.Next(options.ScrollPause, random), token);
            return status;
        }

        // The baseline of the feed promise, in the same run: the scrollers' pages, reads only, through the fleet's edge
        // and then through an edge of its own reading PostgreSQL alone (Edge:ReadSource postgres) on the same stores.
        async Task<(RunFigures Redis, RunFigures Postgres)> CompareReadsAsync(EdgeClient fleetEdge, LikeTraffic shape, CancellationToken token)
        {
            AnsiConsole.MarkupLine($"  the feed's baseline: the same pages, reads only, {ReadComparison.TotalSeconds:F0} s through this edge, then through an edge reading PostgreSQL alone");
            await using var postgresOnly = await PrivateEdge.StartOnFleetAsync(env.JwtKey, "postgres");
            using var baseline = new EdgeClient(postgresOnly.Address, env.JwtKey, options.Clients);
            ClosedLoop.Request ReadThrough(EdgeClient client) => async (c, random, t) => (await client.GetAsync(shape.UserOf(c, random), PagePath(random), t)).Status;
            await MeasuredLoop.RunAsync("warm-up: PostgreSQL-only edge", options.Clients, ReadWarmup, ReadThrough(baseline), token, quiet: true);
            var fromRedis = await MeasuredLoop.RunAsync("feed reads: edge reading Redis", options.Clients, ReadComparison, ReadThrough(fleetEdge), token, quiet: true);
            var fromPostgres = await MeasuredLoop.RunAsync("feed reads: edge reading PostgreSQL alone", options.Clients, ReadComparison, ReadThrough(baseline), token, quiet: true);
            return (fromRedis, fromPostgres);
        }
    }
}

/// <summary>What the demo did, for the summary.</summary>
public sealed record DemoOutcome(
    DemoOptions Options,
    LikeTraffic Traffic,
    LikeGraph Population,
    long Celebrity,
    TimeSpan Elapsed,
    LatencyRecorder Reads,
    LatencyRecorder ReadsScrolling,
    LatencyRecorder ReadsInBurst,
    LatencyRecorder WritesInWarmUp,
    LatencyRecorder Writes,
    BurstFigures Burst,
    CatchUpResult Settled,
    RunFigures ReadsFromRedis,
    RunFigures ReadsFromPostgres);
