using Dapper;
using Likes.Bench.Diagnostics;
using Likes.Bench.Load;
using Likes.Bench.Workload;

namespace Likes.Bench.Scenarios;

/// <summary>
/// The design a team would pick instead, through the same front: an edge of its own with <c>Edge:WritePath</c>
/// postgres (each request its row and its count row in one transaction, answered after commit) on a database of
/// its own, driven by the same load generator, clients and workload shapes as the system's ingest and hot burst.
/// Only the write path differs. Ends by checking the burst's count row against the likes accepted.
/// </summary>
public sealed class PeerScenario(BenchEnvironment env, IngestSizes ingest, BurstSizes burst)
{
    private static readonly TimeSpan BurstWithin = TimeSpan.FromMinutes(10);

    public async Task<PeerFigures> RunAsync(ProcessIds pids, CancellationToken ct)
    {
        await using var stack = new BenchStack();
        await stack.InitializeAsync();
        await using var edge = await PrivateEdge.StartAsync(stack, env.JwtKey, readSource: "postgres", writePath: "postgres");
        using var client = new EdgeClient(edge.Address, env.JwtKey, Math.Max(ingest.Clients, burst.Clients));
        var traffic = new LikeTraffic(client, new TrafficShape(ingest.Users, ingest.Contents, ingest.Clients, ingest.UnlikeShare));

        ClosedLoop.Request write = (c, random, _) => traffic.WriteAsync(c, random, ct);
        await MeasuredLoop.RunAsync("peer warm-up: synchronous PostgreSQL writes", ingest.Clients, ingest.Warmup, write, ct);
        var cpu = CpuMeter.Start([("edge", edge.Pid), .. pids.Shared], pids.Trees);
        var uniform = await MeasuredLoop.RunAsync("peer: likes committed to PostgreSQL", ingest.Clients, ingest.Measure, write, ct);
        var cpuSeconds = cpu.Stop();

        var content = traffic.LastContent + 1;
        var next = traffic.NextFreeUser - 1;
        var hot = await MeasuredLoop.RunAsync($"peer burst: {burst.Likes:N0} users like one content", burst.Clients, BurstWithin,
            (_, _, token) => traffic.WriteAsync(Interlocked.Increment(ref next), content, like: true, token), ct, maxRequests: burst.Likes);

        await using var db = await stack.Postgres.OpenConnectionAsync(ct);
        var counted = await db.ExecuteScalarAsync<long?>("SELECT like_count FROM content_like_counts WHERE content_id = @content", new { content }) ?? 0;
        return new PeerFigures(uniform, hot, counted == hot.Ok, cpuSeconds);
    }
}

/// <param name="Ingest">The uniform workload: accepted means committed.</param>
/// <param name="Burst">Distinct users liking one content: each waits for the count row's lock and a commit.</param>
/// <param name="BurstCountExact">The burst content's count row equals the likes accepted.</param>
public sealed record PeerFigures(RunFigures Ingest, RunFigures Burst, bool BurstCountExact, IReadOnlyDictionary<string, double> IngestCpuSeconds);
