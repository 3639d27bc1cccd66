using System.Diagnostics;
using Likes.Bench.Diagnostics;
using Likes.Bench.Fleet;
using Likes.Bench.Memory;
using Likes.Fixtures;
using Likes.Persister;
using Likes.Shared.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Likes.Bench.Scenarios;

/// <summary>
/// The persister draining a backlog, against the raw batched-insert rate of the same rows into the same
/// schema, measured in one run. Both run on private copies (a fresh stream and database) of the real servers.
/// The persister's own metrics, pg_stat_statements, Redis's commandstats and each process's CPU seconds say where
/// the drain's time went (the persister runs inside this process; PostgreSQL is the machine's rest).
/// </summary>
public sealed class PersistScenario(int events, int batchSize, ProcessIds pids)
{
    /// <summary>The share of the backlog (and of the raw chunks) that warms up and is not timed.</summary>
    private const double WarmUpShare = 0.1;

    public async Task<PersistFigures> RunAsync(Action<string> progress, CancellationToken ct)
    {
        var likes = Backlog();
        await using var stack = new BenchStack();
        await stack.InitializeAsync();
        await using var statementsSource = NpgsqlDataSource.Create(TestServers.Postgres);

        progress($"persist: publishing a backlog of {events:N0} likes");
        var publisher = new EventPublisher(stack.JetStream, stack.Stream);
        await publisher.PublishManyAsync(likes, cancellationToken: ct);

        var config = stack.Configuration();
        config["Consumer:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        config["Consumer:BatchWindow"] = "00:00:00.050";
        progress("persist: draining it with the persister");
        await using var redis = await AdminRedis.ConnectAsync(TestServers.Redis);
        var statementsBefore = await PgStatements.TakeAsync(statementsSource, stack.Database);
        var redisBefore = await RedisCommandStats.TakeAsync(redis.Masters());
        var drain = Stopwatch.StartNew();
        IReadOnlyDictionary<string, double> drainCpu;
        MetricsSnapshot metrics;
        TimeSpan measuredFrom, committed;
        double rowsAtStart;
        await using (var persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), config))
        {
            // The first tenth warms the persister up (JIT, pools, plans); the rate is taken over the rest, from
            // the first look that finds it committed, so the rows committed by then are left out. The count is
            // read in process: a /metrics scrape (process statistics, every series) cost the drain 5-10 % of its CPU.
            using var http = new HttpClient { BaseAddress = persister.BaseAddress };
            var persisterMetrics = persister.Services.GetRequiredService<PersisterMetrics>();
            Task<double> RowsAsync() => Task.FromResult(persisterMetrics.RowsInserted);
            rowsAtStart = await Eventually.UntilAsync(RowsAsync, rows => rows >= likes.Count * WarmUpShare, TimeSpan.FromMinutes(10), "the warm-up committed");
            measuredFrom = drain.Elapsed;
            var cpu = CpuMeter.Start(pids.Shared, pids.Trees);

            // Drained = every row committed (the persister's own count); the acks that follow are timed apart.
            await Eventually.UntilAsync(async () => await RowsAsync() >= likes.Count, TimeSpan.FromMinutes(10), "every row committed");
            committed = drain.Elapsed;
            drainCpu = cpu.Stop();
            await Eventually.UntilAsync(async () => await publisher.PendingAsync("persister") == 0, TimeSpan.FromMinutes(10), "persister drained");
            drain.Stop();
            metrics = MetricsSnapshot.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct));
        }

        var statements = (await PgStatements.TakeAsync(statementsSource, stack.Database)).Since(statementsBefore);
        var commands = (await RedisCommandStats.TakeAsync(redis.Masters())).Since(redisBefore);
        progress($"persist: measured from {measuredFrom.TotalSeconds:F1} s ({rowsAtStart:N0} rows committed by then); every row committed after {committed.TotalSeconds:F1} s, all acked after {drain.Elapsed.TotalSeconds:F1} s; "
            + $"{metrics["likes_persister_transaction_seconds_count"]:N0} transactions took {metrics["likes_persister_transaction_seconds_sum"]:F1} s; "
            + $"{metrics["likes_persister_counter_writes_total"]:N0} counter writes");

        progress("persist: raw batched inserts of the same rows");
        await using var raw = NpgsqlDataSource.Create(stack.PostgresConnectionString);
        await using (var reset = raw.CreateCommand("TRUNCATE likes, content_like_counts"))
        {
            await reset.ExecuteNonQueryAsync(ct);
        }

        // The same warm-up share, the same way: the chunks up to a tenth of the rows are not timed.
        var chunks = likes.Chunk(batchSize).ToList();
        var warmUpChunks = (int)Math.Ceiling(chunks.Count * WarmUpShare);
        foreach (var chunk in chunks.Take(warmUpChunks))
        {
            await InsertRawAsync(raw, chunk, ct);
        }

        var rawCpu = CpuMeter.Start(pids.Shared, pids.Trees);
        var insert = Stopwatch.StartNew();
        foreach (var chunk in chunks.Skip(warmUpChunks))
        {
            await InsertRawAsync(raw, chunk, ct);
        }

        insert.Stop();
        var rawCpuSeconds = rawCpu.Stop();
        var rawRows = chunks.Skip(warmUpChunks).Sum(c => c.Length);
        return new PersistFigures(likes.Count, (likes.Count - rowsAtStart) / (committed - measuredFrom).TotalSeconds, rawRows / insert.Elapsed.TotalSeconds)
        {
            MeasuredFromSeconds = measuredFrom.TotalSeconds,
            CommittedSeconds = committed.TotalSeconds,
            AckedSeconds = drain.Elapsed.TotalSeconds,
            Transactions = metrics["likes_persister_transaction_seconds_count"],
            TransactionSeconds = metrics["likes_persister_transaction_seconds_sum"],
            CounterWrites = metrics["likes_persister_counter_writes_total"],
            Statements = statements,
            RedisCommands = commands,
            DrainCpuSeconds = drainCpu,
            RawCpuSeconds = rawCpuSeconds,
        };
    }

    /// <summary>The baseline: one batched insert of the rows, as a plain client would write them.</summary>
    private static async Task InsertRawAsync(NpgsqlDataSource raw, LikeEvent[] chunk, CancellationToken ct)
    {
        await using var cmd = raw.CreateCommand("""
            INSERT INTO likes (user_id, content_id, created_at)
            SELECT u, c, to_timestamp(t / 1000.0) FROM unnest(@u, @c, @t) AS x(u, c, t)
            ON CONFLICT DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("u", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = chunk.Select(e => e.UserId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("c", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = chunk.Select(e => e.ContentId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("t", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = chunk.Select(e => e.AcceptedAtMs).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Distinct (user, content) likes spread over users, so every partition has work.</summary>
    private List<LikeEvent> Backlog()
    {
        var random = new Random(42);
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Enumerable.Range(0, events)
            .Select(i => new LikeEvent(Guid.CreateVersion7(), 1 + i / 20, 1 + random.Next(50_000), LikeAction.Like, at + i))
            .DistinctBy(e => (e.UserId, e.ContentId))
            .ToList();
    }
}

public sealed record PersistFigures(int Rows, double RowsPerSecond, double RawRowsPerSecond)
{
    public double Ratio => RowsPerSecond / RawRowsPerSecond;

    /// <summary>Until the host was up and the warm-up share committed: where the rate's time starts.</summary>
    public double MeasuredFromSeconds { get; init; }

    /// <summary>Until every row was committed: where the rate's time ends.</summary>
    public double CommittedSeconds { get; init; }

    /// <summary>Until the stream had nothing left unacked (the last acks trail the last commit).</summary>
    public double AckedSeconds { get; init; }

    /// <summary>Group transactions the persister committed, and the seconds they took together (its metrics).</summary>
    public double Transactions { get; init; }

    public double TransactionSeconds { get; init; }

    public double CounterWrites { get; init; }

    /// <summary>The statements PostgreSQL spent the drain on, the most expensive first.</summary>
    public IReadOnlyList<StatementCost> Statements { get; init; } = [];

    /// <summary>CPU seconds per process until every row was committed (the load generator hosts the persister).</summary>
    public IReadOnlyDictionary<string, double> DrainCpuSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>CPU seconds per process while the raw inserts ran.</summary>
    public IReadOnlyDictionary<string, double> RawCpuSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>What Redis spent during the drain (server-wide).</summary>
    public IReadOnlyList<CommandCost> RedisCommands { get; init; } = [];
}
