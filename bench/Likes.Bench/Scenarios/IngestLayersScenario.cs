using Likes.Bench.Diagnostics;
using Likes.Bench.Load;
using Likes.Bench.Workload;

namespace Likes.Bench.Scenarios;

/// <summary>
/// Ingest decomposed, layer by layer, with the ingest's workload and clients: an edge that answers 202 and keeps nothing
/// (<c>Edge:WritePath</c> discard: Kestrel, JWT validation, id validation, the rate limit, the deleted-content check), then
/// an edge that publishes to a stream nobody consumes (the previous layer plus the publish and JetStream's ack). The full
/// fleet is the ingest scenario itself. Both edges are processes of their own on a private slice of the servers.
/// </summary>
public sealed class IngestLayersScenario(BenchEnvironment env, IngestSizes sizes)
{
    public const string Front = "edge answers 202, keeps nothing";
    public const string Publish = "edge publishes, nobody consumes";

    public async Task<IReadOnlyList<LayerFigures>> RunAsync(ProcessIds pids, CancellationToken ct)
    {
        await using var stack = new BenchStack();
        await stack.InitializeAsync();
        var layers = new List<LayerFigures>();
        foreach (var (name, writePath) in new[] { (Front, "discard"), (Publish, "stream") })
        {
            await using var edge = await PrivateEdge.StartAsync(stack, env.JwtKey, readSource: "redis", writePath: writePath);
            using var client = new EdgeClient(edge.Address, env.JwtKey, sizes.Clients);
            var traffic = new LikeTraffic(client, new TrafficShape(sizes.Users, sizes.Contents, sizes.Clients, sizes.UnlikeShare));
            ClosedLoop.Request write = (c, random, _) => traffic.WriteAsync(c, random, ct);
            await MeasuredLoop.RunAsync($"warm-up: {name}", sizes.Clients, sizes.Warmup, write, ct);
            var cpu = CpuMeter.Start([("edge", edge.Pid), .. pids.Shared], pids.Trees);
            var run = await MeasuredLoop.RunAsync(name, sizes.Clients, sizes.Measure, write, ct);
            layers.Add(new LayerFigures(name, run, cpu.Stop()));
        }

        return layers;
    }
}

/// <param name="CpuSeconds">Per process over the measured run, and the whole machine's busy CPU.</param>
public sealed record LayerFigures(string Name, RunFigures Run, IReadOnlyDictionary<string, double> CpuSeconds);
