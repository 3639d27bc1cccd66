using System.Diagnostics;
using Likes.Bench.Checks;
using Likes.Bench.Fleet;
using Likes.Bench.Load;
using Likes.Bench.Memory;
using Likes.Bench.Report;
using Likes.Bench.Scenarios;
using Likes.Bench.Workload;
using Likes.Fixtures;
using Likes.Reheater;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using StackExchange.Redis;

namespace Likes.Bench.Run;

/// <summary>
/// `./likes bench [--quick]`: every scenario against its baseline in one process run, on the stack `./likes
/// up` started. Memory and feed-state run on a private slice of the servers (a database, key prefix and
/// stream of their own, with edges and a reheater of their own) loaded with a generated graph; ingest, the
/// hot burst and exactness go through the fleet's edge; persist drains a private backlog. A scenario that
/// fails is reported and the others still run. Ends with the table, the results file and the plots.
/// </summary>
public sealed class BenchRunner(BenchEnvironment env, BenchSizes sizes, string root)
{
    private BenchResults _results = null!;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await IngestScenario.RemoveLeftoversAsync(env, ct);
        await using var redis = await AdminRedis.ConnectAsync(env.Redis);
        await using var fleetPostgres = NpgsqlDataSource.Create(env.Postgres);
        using var fleet = FleetDaemons.FromEnvironment();
        _results = new BenchResults
        {
            Run = new RunInfo(sizes.Mode, sizes.Mode == "quick" ? "./likes bench --quick" : "./likes bench", DateTimeOffset.UtcNow, 0),
            Machine = await Machine.DescribeAsync(env, redis),
        };
        var plots = new Plots(Path.Combine(root, "docs", "benchmarks", sizes.Mode));
        var shared = new ProcessIds([("load generator", Environment.ProcessId), ("redis", fleet.Pid("redis")), ("nats", fleet.Pid("nats"))], [("postgres", fleet.Pid("postgres"))]);
        AnsiConsole.MarkupLine($"[bold]Likes benchmarks[/] ({sizes.Mode}): {_results.Machine.Cores} cores, {Markup.Escape(_results.Machine.CpuModel)}, "
            + $"{_results.Machine.MemoryGb} GB, {Markup.Escape(_results.Machine.Dotnet)}; fleet edge {string.Join(", ", env.Edges)}");

        await ScenarioAsync("memory and feed-state", ["memory", "feed_state"], () => PrivateStackAsync(redis, fleetPostgres, shared, plots, ct));

        using var edge = new EdgeClient(env.Edges, env.JwtKey, Math.Max(sizes.Ingest.Clients, sizes.Burst.Clients));
        var traffic = new LikeTraffic(edge, new TrafficShape(sizes.Ingest.Users, sizes.Ingest.Contents, sizes.Ingest.Clients, sizes.Ingest.UnlikeShare));
        await ScenarioAsync("ingest", ["ingest"], async () =>
        {
            var ingest = await new IngestScenario(env, fleet, sizes.Ingest).RunAsync(traffic, shared, ct);
            _results.Ingest = ingest.ToResult(sizes.Ingest.Clients, sizes.Ingest.RawInFlight);
            plots.Ingest(ingest);
        });
        await ScenarioAsync("hot burst", ["hot_burst"], async () =>
        {
            var burst = await new HotBurstScenario(env, fleet, sizes.Burst).RunAsync(traffic, redis, ct);
            _results.HotBurst = burst.ToResult();
            plots.HotBurst(burst);
        });
        await ScenarioAsync("peer: synchronous PostgreSQL writes", ["peer_sync_pg"], async () =>
        {
            var peer = await new PeerScenario(env, sizes.Ingest, sizes.Burst).RunAsync(shared, ct);
            _results.PeerSyncPg = peer.ToResult();
            _results.CompareWithPeer();
            plots.Peer(peer, _results.Ingest, _results.HotBurst);
        });
        await ScenarioAsync("ingest, layer by layer", ["ingest_layers"], async () =>
        {
            var layers = await new IngestLayersScenario(env, sizes.Ingest).RunAsync(shared, ct);
            _results.IngestLayers = layers.ToResult(_results.Ingest);
            plots.IngestLayers(_results.IngestLayers);
        });
        await ScenarioAsync("persist", ["persist"], async () =>
        {
            var persist = await new PersistScenario(sizes.PersistEvents, sizes.PersistBatch, shared).RunAsync(line => Console.WriteLine("  " + line), ct);
            Console.WriteLine($"  persister {persist.RowsPerSecond:N0} rows/s, raw batched inserts {persist.RawRowsPerSecond:N0} rows/s");
            _results.Persist = persist.ToResult(sizes.PersistBatch);
            plots.Persist(persist);
        });
        await ScenarioAsync("exactness", ["exactness"], async () =>
        {
            var settled = await CatchUp.WaitAsync(env, TimeSpan.FromMinutes(5), ct);
            var report = await new Exactness(fleetPostgres, redis, new RedisKeys(env.KeyPrefix)).CheckAsync(traffic.Accepted, traffic.FirstContent, traffic.LastContent + 1);
            var reads = await ReadAnswers.CheckAsync(edge, fleetPostgres, traffic.Accepted, traffic.FirstContent, traffic.LastContent + 1, null, ct);
            Console.WriteLine($"  caught up in {settled.TotalSeconds:F1} s; {report.ExpectedLikes:N0} likes expected on {report.Contents:N0} contents: "
                + $"{report.Lost} lost, {report.Extra} unexpected, {report.DriftContents} contents with count drift; "
                + $"read back by {reads.Users:N0} users: {reads.WrongLiked} liked wrong, {reads.WrongCounts} counts wrong, {reads.WrongMyLikes} my-likes wrong");
            _results.Exactness = report.ToResult(reads);
        });

        _results.Run = _results.Run with { Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) };
        _results.Goals = Goals.Evaluate(_results);
        AnsiConsole.WriteLine();
        ResultTable.Write(_results);
        var file = await ResultsFile.WriteAsync(_results, root);
        Console.WriteLine($"results: {Path.GetRelativePath(root, file)}; plots: {string.Join(", ", plots.Written.Select(p => Path.GetRelativePath(root, p)))}");
        Console.WriteLine($"took {clock.Elapsed.TotalSeconds:F0} s");
        var exact = _results.Exactness is { DriftContents: 0, LostLikes: 0, WrongAnswers: 0 };
        return _results.Errors.Count == 0 && exact ? 0 : 1;
    }

    /// <summary>Memory, then feed-state on the same loaded graph, then the answers spot-checked.</summary>
    private async Task PrivateStackAsync(ConnectionMultiplexer redis, NpgsqlDataSource fleetPostgres, ProcessIds shared, Plots plots, CancellationToken ct)
    {
        await using var stack = new BenchStack();
        await stack.InitializeAsync();
        var keys = new RedisKeys(stack.KeyPrefix);
        // The edges start while the graph loads; they only read.
        var systemEdge = PrivateEdge.StartAsync(stack, env.JwtKey, "redis");
        var baselineEdge = PrivateEdge.StartAsync(stack, env.JwtKey, "postgres");
        try
        {
            var line = new LiveLine();
            var graph = LikeGraph.Generate(sizes.Memory);
            LoadFigures load;
            await using (var reheater = await DaemonHost.StartAsync("reheater", b => b.AddReheater(), stack.Configuration()))
            {
                var loader = new LikeGraphLoader(stack.Postgres, new CounterStore(redis, keys), reheater.Services.GetRequiredService<TimelineRebuilder>());
                load = await loader.LoadAsync(graph, step => line.Update("  memory: " + step), ct);
            }

            line.Finish($"  memory: loaded {graph.Likes:N0} likes, {graph.Shape.Users:N0} users, {graph.Shape.Contents:N0} contents in {load.Seconds:F1} s "
                + $"({load.Counters:N0} counters, {load.TimelinesRebuilt:N0} of {load.TimelinesAsked:N0} active timelines rebuilt)");
            var memory = await new MemoryScenario(redis, keys).RunAsync(graph, "n" + stack.KeyPrefix[1..]);
            Console.WriteLine($"  memory: system {memory.SystemBytes:N0} B, naive {memory.Naive.Bytes:N0} B: {memory.SavingPct:F1} % less");
            _results.Memory = memory.ToResult(graph, load);
            plots.Memory(memory);

            var system = await systemEdge;
            var baseline = await baselineEdge;
            var scenario = new FeedStateScenario(graph, redis, keys, env.JwtKey, sizes.FeedState);
            var feed = await scenario.RunAsync(system, baseline, shared, new Diagnose(fleetPostgres, stack.Database), ct);
            using var client = new EdgeClient(system.Address, env.JwtKey, 1);
            var answers = await FeedStateAnswers.CheckAsync(client, graph, scenario.Pages, sizes.FeedState.SpotChecks, ct);
            Console.WriteLine($"  answers: {answers.Pages:N0} pages of random users (active and not), {answers.Facts:N0} facts checked, {answers.Wrong} wrong, {answers.Degraded} degraded");
            _results.FeedState = feed.ToResult(answers);
            plots.FeedState(feed);
        }
        finally
        {
            await DisposeQuietlyAsync(systemEdge);
            await DisposeQuietlyAsync(baselineEdge);
        }
    }

    private async Task ScenarioAsync(string title, string[] names, Func<Task> run)
    {
        AnsiConsole.Write(new Rule($"[bold]{title}[/]").LeftJustified());
        try
        {
            await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(title)} failed:[/] {Markup.Escape(ex.Message)}");
            foreach (var name in names)
            {
                _results.Errors[name] = ex.GetType().Name + ": " + ex.Message;
            }
        }
    }

    /// <summary>Stops an edge that started; one that did not start has nothing to stop (its failure is reported where it was awaited).</summary>
    private static async Task DisposeQuietlyAsync(Task<PrivateEdge> edge)
    {
        try
        {
            await (await edge).DisposeAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never started: nothing to stop.
        }
    }
}
