using Likes.Bench.Diagnostics;
using Likes.Bench.Load;
using Likes.Bench.Workload;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Bench.Scenarios;

/// <summary>
/// Feed-state for 20-id pages of active users, in one run: the edge answering from Redis (the system), an
/// identical edge answering from PostgreSQL alone (<c>Edge:ReadSource=postgres</c>, the baseline), and the
/// same Redis commands the edge sends, sent straight from this process (the ceiling: Redis and the network
/// without HTTP, auth and JSON). Each is warmed up first; latency is taken at one client, then at many in
/// slices taken in turn (<see cref="FeedStateTarget"/>).
/// </summary>
public sealed class FeedStateScenario(LikeGraph graph, IConnectionMultiplexer redis, RedisKeys keys, string jwtKey, FeedStateSizes sizes)
{
    public const int PageSize = 20;
    private const int OwnLikesPerPage = 4;

    public FeedPages Pages { get; } = new(graph, PageSize, OwnLikesPerPage);

    public async Task<FeedStateFigures> RunAsync(PrivateEdge system, PrivateEdge baseline, ProcessIds pids, Diagnose diagnose, CancellationToken ct)
    {
        using var systemClient = new EdgeClient(system.Address, jwtKey, sizes.Clients);
        using var baselineClient = new EdgeClient(baseline.Address, jwtKey, sizes.Clients);
        var systemDegraded = new long[1];
        var baselineDegraded = new long[1];
        var systemRead = EdgeRead(systemClient, systemDegraded);
        var baselineRead = EdgeRead(baselineClient, baselineDegraded);

        await MeasuredLoop.RunAsync("warm-up: edge from Redis", sizes.Clients, sizes.Warmup, systemRead, ct);
        await MeasuredLoop.RunAsync("warm-up: edge from PostgreSQL", sizes.Clients, sizes.Warmup, baselineRead, ct);
        var systemOne = await MeasuredLoop.RunAsync("edge from Redis, 1 client", 1, sizes.OneClient, systemRead, ct);
        var baselineOne = await MeasuredLoop.RunAsync("edge from PostgreSQL, 1 client", 1, sizes.OneClient, baselineRead, ct);
        Interlocked.Exchange(ref systemDegraded[0], 0);
        Interlocked.Exchange(ref baselineDegraded[0], 0);

        var targets = new[]
        {
            new FeedStateTarget("edge from Redis", systemRead, [("edge", system.Pid), .. pids.Shared]),
            new FeedStateTarget("edge from PostgreSQL", baselineRead, [("edge", baseline.Pid), .. pids.Shared]),
            new FeedStateTarget("Redis commands direct", DirectRead(), pids.Shared),
        };
        var redisCommands = new List<CommandCost>();
        var statements = new List<StatementCost>();
        var slice = sizes.Measure / sizes.Rounds;
        for (var round = 1; round <= sizes.Rounds; round++)
        {
            var label = $"{sizes.Clients} clients ({round}/{sizes.Rounds})";
            var redisBefore = await RedisCommandStats.TakeAsync(redis.Masters());
            await targets[0].SliceAsync(sizes.Clients, slice, label, ct);
            redisCommands.AddRange((await RedisCommandStats.TakeAsync(redis.Masters())).Since(redisBefore));
            var pgBefore = await PgStatements.TakeAsync(diagnose.Postgres, diagnose.Database);
            await targets[1].SliceAsync(sizes.Clients, slice, label, ct);
            statements.AddRange((await PgStatements.TakeAsync(diagnose.Postgres, diagnose.Database)).Since(pgBefore));
            await targets[2].SliceAsync(sizes.Clients, slice, label, ct);
        }

        return new FeedStateFigures(
            targets[0].Figures(sizes.Clients), targets[1].Figures(sizes.Clients), targets[2].Figures(sizes.Clients), systemOne, baselineOne,
            Interlocked.Read(ref systemDegraded[0]), Interlocked.Read(ref baselineDegraded[0]), targets[0].CpuSeconds, targets[1].CpuSeconds,
            [.. redisCommands.GroupBy(c => c.Command).Select(g => new CommandCost(g.Key, g.Sum(c => c.Calls), g.Sum(c => c.Microseconds))).OrderByDescending(c => c.Microseconds)],
            [.. statements.GroupBy(s => s.Query).Select(g => new StatementCost(g.Key, g.Sum(s => s.Calls), Math.Round(g.Sum(s => s.Milliseconds), 1))).OrderByDescending(s => s.Milliseconds)]);
    }

    /// <summary>A page read through an edge; an answer that says it is degraded is counted (it took a shortcut).</summary>
    private ClosedLoop.Request EdgeRead(EdgeClient client, long[] degraded) => async (_, random, ct) =>
    {
        var page = Pages.Next(random);
        var (status, body) = await client.GetAsync(page.UserId, page.Path, ct);
        if (status == 200 && body.Contains("\"degraded\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref degraded[0]);
        }

        return status;
    };

    /// <summary>What the edge sends Redis for a page, in one round trip (FeedStateReader): the liked-state probe (which also refreshes the idle expiry) and a GET per id.</summary>
    private ClosedLoop.Request DirectRead()
    {
        var probe = new LikedStateProbe(keys, Options.Create(new TimelineOptions()));
        var db = redis.GetDatabase();
        return async (_, random, _) =>
        {
            var page = Pages.Next(random);
            var ids = page.ContentIds;
            var batch = db.CreateBatch();
            var scores = probe.Queue(batch, page.UserId, ids);
            var counters = CounterStore.Read(batch, keys, ids);
            batch.Execute();
            try
            {
                await Task.WhenAll(scores, counters);
            }
            catch (RedisException)
            {
                return 0;
            }

            // Decoded as the edge decodes them; a content nobody liked has no counter, which is an answer too (0).
            _ = LikedStateProbe.Read(scores.Result);
            foreach (var counter in counters.Result)
            {
                _ = CounterValue.TryParse(counter, out _);
            }

            return 200;
        };
    }
}

/// <param name="Warmup">Per edge, before anything is measured (JIT, connection pools, PostgreSQL's cache).</param>
/// <param name="OneClient">Latency of one client alone, per edge.</param>
/// <param name="Measure">Each of the three at <paramref name="Clients"/> clients, in total, taken in <paramref name="Rounds"/> slices in turn.</param>
public sealed record FeedStateSizes(int Clients, TimeSpan Warmup, TimeSpan OneClient, TimeSpan Measure, int Rounds, int SpotChecks);

/// <summary>The shared processes whose CPU a scenario also accounts (the load generator, Redis, NATS…), and those counted with their children (PostgreSQL).</summary>
public sealed record ProcessIds(IReadOnlyList<(string Name, int? Pid)> Shared, IReadOnlyList<(string Name, int? Pid)>? Trees = null);

/// <summary>Where pg_stat_statements can be read (a database with the extension) and the database to look at.</summary>
public sealed record Diagnose(NpgsqlDataSource Postgres, string Database);

public sealed record FeedStateFigures(
    RunFigures System,
    RunFigures Baseline,
    RunFigures Ceiling,
    RunFigures SystemOneClient,
    RunFigures BaselineOneClient,
    long SystemDegraded,
    long BaselineDegraded,
    IReadOnlyDictionary<string, double> SystemCpuSeconds,
    IReadOnlyDictionary<string, double> BaselineCpuSeconds,
    IReadOnlyList<CommandCost> RedisCommands,
    IReadOnlyList<StatementCost> PgStatements);
