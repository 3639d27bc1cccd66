using System.Diagnostics;
using System.Globalization;
using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Npgsql;
using NpgsqlTypes;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Reconciler.Tests;

/// <summary>Runs alone: its timings mean little next to other tests.</summary>
[CollectionDefinition(nameof(FullAuditFigures), DisableParallelization = true)]
public sealed class FullAuditFiguresCollection;

/// <summary>
/// The full audit over 2,000,000 likes (200,000 users × 10 contents each, contents drawn Zipf-distributed from
/// 100,000), bulk-loaded with binary COPY, with matching count rows and Redis counters and some drift planted.
/// Times the audit and reads what PostgreSQL served meanwhile (pg_stat_statements, pg_stat_database).
/// Run: <c>LIKES_FIGURES=1 dotnet test tests/Likes.Reconciler.Tests --filter FullAuditFigures --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(nameof(FullAuditFigures))]
public class FullAuditFigures(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private const int Users = 200_000;
    private const int LikesPerUser = 10;
    private const int Contents = 100_000;
    private const int WrongRows = 200;
    private const int MissingRows = 100;
    private const int WrongCounters = 200;

    private readonly Stack _stack = new(fixture);

    [FiguresFact]
    public async Task FullAudit_Over2MillionLikes_FiguresArePrinted()
    {
        var load = Stopwatch.StartNew();
        await LoadLikesAsync();
        var loaded = load.Elapsed;
        var planted = await PlantDriftAsync();

        foreach (var (label, pause) in new[] { ("default pause 100 ms per 10,000-id step", "00:00:00.100"), ("no pause", "00:00:00") })
        {
            await using var host = await _stack.ServicesAsync(new Dictionary<string, string?> { ["Reconciler:FullAuditPause"] = pause });
            var audit = host.Get<FullAudit>();
            var before = await QuietStatsAsync();
            var report = await audit.RunAsync(CancellationToken.None);
            await host.DisposeAsync();
            var after = await QuietStatsAsync();

            var seconds = report.Elapsed.TotalSeconds;
            var perStatement = after.ByStatement
                .Select(a => (a.Key, Calls: a.Value.Calls - before.ByStatement.GetValueOrDefault(a.Key).Calls,
                    Rows: a.Value.Rows - before.ByStatement.GetValueOrDefault(a.Key).Rows,
                    Ms: a.Value.Ms - before.ByStatement.GetValueOrDefault(a.Key).Ms))
                .Where(d => d.Calls > 0)
                .OrderByDescending(d => d.Ms)
                .Take(6)
                .Select(d => string.Create(CultureInfo.InvariantCulture, $"    {d.Calls,5:N0} calls {d.Ms,8:N0} ms {d.Rows,10:N0} rows  {Shorten(d.Key)}"));
            var statements = after.Statements - before.Statements;
            var resets = after.ByStatement.GetValueOrDefault("DISCARD ALL").Calls - before.ByStatement.GetValueOrDefault("DISCARD ALL").Calls;
            var queries = statements - resets;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                full audit, {label}:
                  {report.Checked:N0} contents checked in {seconds:F1} s ({report.Checked / seconds:N0} contents/s)
                  postgres drift {report.PostgresDrift:N0} repaired {report.PostgresRepaired:N0}; redis drift {report.RedisDrift:N0} repaired {report.RedisRepaired:N0}; redis followed {report.RedisFollowed:N0}
                  PostgreSQL meanwhile: {queries:N0} queries ({queries / seconds:N1}/s; plus {resets:N0} DISCARD ALL of the pool), {after.Commits - before.Commits:N0} commits ({(after.Commits - before.Commits) / seconds:N1}/s),
                    {after.Returned - before.Returned:N0} tuples returned ({(after.Returned - before.Returned) / seconds:N0}/s), {after.Fetched - before.Fetched:N0} tuples fetched, {after.BlocksRead - before.BlocksRead:N0} blocks read from disk
                  by statement (pg_stat_statements, most time first):
                """) + "\n" + string.Join('\n', perStatement));
            if (pause != "00:00:00")
            {
                Assert.Equal(planted.Rows, report.PostgresRepaired);
                Assert.Equal(planted.Counters, report.RedisRepaired);
            }
            else
            {
                Assert.Equal(0, report.PostgresDrift + report.RedisDrift);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {Users * LikesPerUser:N0} likes by binary COPY, count rows and {planted.Contents:N0} Redis counters in {loaded.TotalSeconds:F1} s"));
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM content_like_counts k
            FULL JOIN (SELECT content_id, count(*) AS n FROM likes GROUP BY content_id) l USING (content_id)
            WHERE coalesce(k.like_count, 0) <> coalesce(l.n, 0)
            """));
    }

    private async Task LoadLikesAsync()
    {
        // Zipf (s = 1) over the contents: a few very hot, a long tail.
        var cdf = new double[Contents];
        var sum = 0.0;
        for (var i = 0; i < Contents; i++)
        {
            sum += 1.0 / (i + 1);
            cdf[i] = sum;
        }

        var random = new Random(42);
        var at = DateTime.UtcNow.AddDays(-30);
        await using (var connection = await fixture.Postgres.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync("COPY likes (user_id, content_id, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            var mine = new HashSet<long>();
            for (long user = 1; user <= Users; user++)
            {
                mine.Clear();
                while (mine.Count < LikesPerUser)
                {
                    var index = Array.BinarySearch(cdf, random.NextDouble() * sum);
                    mine.Add((index < 0 ? ~index : index) + 1);
                }

                foreach (var content in mine)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(user, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(content, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(at.AddSeconds(user), NpgsqlDbType.TimestampTz);
                }
            }

            await copy.CompleteAsync();
        }

        await using var c = await fixture.Postgres.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO content_like_counts (content_id, like_count, version, updated_at, touched_at) SELECT content_id, count(*), 1, now() - interval '1 day', now() - interval '1 day' FROM likes GROUP BY content_id", commandTimeout: 600);
        await c.ExecuteAsync("VACUUM ANALYZE likes", commandTimeout: 600);
        await c.ExecuteAsync("VACUUM ANALYZE content_like_counts", commandTimeout: 600);
    }

    /// <summary>Redis counters for every content; then wrong count rows, missing count rows and wrong counters.</summary>
    private async Task<(int Contents, int Rows, int Counters)> PlantDriftAsync()
    {
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        var rows = (await c.QueryAsync<(long, long)>("SELECT content_id, like_count FROM content_like_counts ORDER BY content_id")).ToList();
        var db = fixture.Redis.GetDatabase();
        foreach (var chunk in rows.Chunk(10_000))
        {
            var batch = db.CreateBatch();
            var writes = chunk.Select(r => _stack.SetRedisAsync(batch, r.Item1, new CounterValue(r.Item2, 1).ToString())).ToArray();
            batch.Execute();
            await Task.WhenAll(writes);
        }

        var random = new Random(7);
        var picked = rows.OrderBy(_ => random.Next()).Take(WrongRows + MissingRows + WrongCounters).Select(r => r.Item1).ToArray();
        await c.ExecuteAsync("UPDATE content_like_counts SET like_count = like_count + 3 WHERE content_id = ANY(@ids)", new { ids = picked[..WrongRows] });
        await c.ExecuteAsync("DELETE FROM content_like_counts WHERE content_id = ANY(@ids)", new { ids = picked[WrongRows..(WrongRows + MissingRows)] });
        foreach (var content in picked[(WrongRows + MissingRows)..])
        {
            await _stack.SetRedisAsync(db, content, "1000000:1");
        }

        return (rows.Count, WrongRows + MissingRows, WrongCounters);
    }

    /// <summary>
    /// The database's statistics once no backend is connected to it: a backend flushes its counters when it
    /// exits, so closing every pooled connection first makes the numbers complete.
    /// </summary>
    private async Task<Stats> QuietStatsAsync()
    {
        fixture.Postgres.Clear();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestServers.Postgres);
        await admin.OpenAsync();
        await Eventually.UntilAsync(
            async () => await admin.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND backend_type = 'client backend'", new { db = fixture.Database }) == 0,
            TimeSpan.FromSeconds(60), "no backend left in the fixture database");
        await admin.ExecuteAsync("SELECT pg_stat_clear_snapshot()");
        // pg_stat_statements lives in the main database and sees every database's statements.
        var (commits, returned, fetched, blocksRead) = await admin.QuerySingleAsync<(long, long, long, long)>(
            "SELECT xact_commit, tup_returned, tup_fetched, blks_read FROM pg_stat_database WHERE datname = @db", new { db = fixture.Database });
        var statements = (await admin.QueryAsync<(string, long, long, double)>("""
            SELECT s.query, s.calls, s.rows, s.total_exec_time FROM pg_stat_statements s
            JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = @db
            """, new { db = fixture.Database }))
            .GroupBy(s => s.Item1)
            .ToDictionary(g => g.Key, g => (Calls: g.Sum(s => s.Item2), Rows: g.Sum(s => s.Item3), Ms: g.Sum(s => s.Item4)));
        return new Stats(commits, returned, fetched, blocksRead, statements.Values.Sum(s => s.Calls), statements);
    }

    private static string Shorten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 110 ? line : line[..110] + "…";
    }

    private sealed record Stats(long Commits, long Returned, long Fetched, long BlocksRead, long Statements,
        Dictionary<string, (long Calls, long Rows, double Ms)> ByStatement);
}
