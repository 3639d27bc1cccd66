using System.Diagnostics;
using System.Globalization;
using Likes.Bench.Checks;
using Likes.Bench.Diagnostics;
using Likes.Bench.Fleet;
using Likes.Bench.Load;
using Likes.Bench.Memory;
using Likes.Bench.Run;
using Likes.Bench.Workload;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Configuration;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Bench.Scenarios;

/// <summary>
/// One topology's figures for <c>./likes bench --cluster</c>, the same code on the single node and on the cluster:
/// ingest (likes accepted per second until both workers applied them), feed-state reads and the hot burst, all through
/// every edge of the running fleet; and where the work went: the CPU seconds of each process (every NATS node, Redis
/// node and daemon replica) during the ingest, the Redis commands each master ran, and which node led the stream.
/// </summary>
public sealed class TopologyScenario(BenchEnvironment env, BenchSizes sizes, FleetDaemons fleet)
{
    /// <summary>Contents per feed-state request, as a feed page asks.</summary>
    private const int PageSize = 20;

    private static readonly TimeSpan CatchUpWithin = TimeSpan.FromMinutes(5);

    public async Task<TopologyFigures> RunAsync(string topology, CancellationToken ct)
    {
        await using var redis = await AdminRedis.ConnectAsync(env.Redis);
        using var edge = new EdgeClient(env.Edges, env.JwtKey, Math.Max(sizes.Ingest.Clients, sizes.Burst.Clients));
        var traffic = new LikeTraffic(edge, new TrafficShape(sizes.Ingest.Users, sizes.Ingest.Contents, sizes.Ingest.Clients, sizes.Ingest.UnlikeShare));
        ClosedLoop.Request write = (client, random, _) => traffic.WriteAsync(client, random, ct);
        await MeasuredLoop.RunAsync("warm-up: likes through the edges", sizes.Ingest.Clients, sizes.Ingest.Warmup, write, ct);
        await CatchUp.WaitAsync(env, CatchUpWithin, ct);

        var masters = redis.Masters();
        var commandsBefore = await Task.WhenAll(masters.Select(m => RedisCommandStats.TakeAsync([m])));
        var cpu = CpuMeter.Start(fleet.Processes());
        var started = Stopwatch.GetTimestamp();
        var ingest = await MeasuredLoop.RunAsync("ingest: likes accepted", sizes.Ingest.Clients, sizes.Ingest.Measure, write, ct);
        await CatchUp.WaitAsync(env, CatchUpWithin, ct);
        var untilApplied = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var ingestCpu = cpu.Stop();
        var commandsAfter = await Task.WhenAll(masters.Select(m => RedisCommandStats.TakeAsync([m])));
        var commandsPerMaster = masters.Select((m, i) => (Master: m.EndPoint.ToString() ?? "?", Calls: commandsAfter[i].Since(commandsBefore[i]).Sum(c => c.Calls)))
            .ToDictionary(m => m.Master, m => m.Calls);

        ClosedLoop.Request read = async (client, random, c) =>
        {
            var ids = string.Join(',', Enumerable.Range(0, PageSize).Select(_ => traffic.PopularContent(random).ToString(CultureInfo.InvariantCulture)));
            return (await edge.GetAsync(traffic.UserOf(client % sizes.Ingest.Clients, random), "/v1/feed-state?ids=" + ids, c)).Status;
        };
        var reads = await MeasuredLoop.RunAsync($"feed-state: pages of {PageSize}", sizes.FeedState.Clients, sizes.FeedState.Measure, read, ct);

        await CatchUp.WaitAsync(env, CatchUpWithin, ct);
        var burst = await new HotBurst(traffic, redis, new RedisKeys(env.KeyPrefix))
            .RunAsync(traffic.LastContent + 1, traffic.NextFreeUser, sizes.Burst.Likes, sizes.Burst.Clients, ct);

        return new TopologyFigures(
            topology,
            Math.Round(untilApplied > 0 ? ingest.Ok / untilApplied : 0),
            Math.Round(ingest.Latency.P99, 2),
            Math.Round(reads.PerSecond),
            Math.Round(reads.Latency.P99, 2),
            Math.Round(burst.Load.PerSecond),
            Math.Round(burst.Load.Latency.P99, 2),
            Math.Round(burst.SecondsToExact, 2),
            ingestCpu,
            commandsPerMaster,
            await StreamLeaderAsync());
    }

    /// <summary>The server leading the event stream (the single node's name when it is not clustered).</summary>
    private async Task<string> StreamLeaderAsync()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench" });
        var stream = await new NatsJSContext(nats).GetStreamAsync(new StreamOptions().Name);
        return stream.Info.Cluster?.Leader ?? "?";
    }
}

/// <param name="AcceptedPerSecond">Likes and unlikes accepted per second, counted until both workers applied them.</param>
/// <param name="IngestCpuSeconds">CPU seconds of each process from the first measured write until everything was applied.</param>
/// <param name="RedisCommandsPerMaster">Redis commands each master ran in that time (INFO commandstats).</param>
public sealed record TopologyFigures(
    string Topology,
    double AcceptedPerSecond,
    double IngestP99Ms,
    double FeedStatePagesPerSecond,
    double FeedStateP99Ms,
    double BurstLikesPerSecond,
    double BurstP99Ms,
    double BurstSecondsToExact,
    IReadOnlyDictionary<string, double> IngestCpuSeconds,
    IReadOnlyDictionary<string, long> RedisCommandsPerMaster,
    string StreamLeader);
