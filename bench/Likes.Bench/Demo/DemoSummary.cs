using System.Globalization;
using Dapper;
using Likes.Bench.Checks;
using Likes.Bench.Memory;
using Likes.Shared;
using Npgsql;
using Spectre.Console;
using StackExchange.Redis;

namespace Likes.Bench.Demo;

/// <summary>
/// The demo's closing summary, readable in ten seconds: is every accepted like in PostgreSQL and every
/// count exact, what the celebrity burst cost in counter writes, what the demo's data costs Redis against
/// the naive design, and where to look next.
/// </summary>
public sealed class DemoSummary(BenchEnvironment env, IConnectionMultiplexer redis, RedisKeys keys)
{
    public async Task<int> WriteAsync(DemoOutcome o, CancellationToken ct)
    {
        var traffic = o.Traffic;
        var settled = o.Settled;
        await using var postgres = NpgsqlDataSource.Create(env.Postgres);
        // What users were told: the population's likes, then the last accepted action of every pair the demo wrote.
        var told = o.Population.Rows().ToDictionary(r => (User: r.UserId, Content: r.ContentId), _ => true);
        foreach (var (pair, liked) in traffic.Accepted)
        {
            told[pair] = liked;
        }

        var report = await new Exactness(postgres, redis, keys).CheckAsync(told, traffic.FirstContent, o.Celebrity);
        using var edge = new Load.EdgeClient(env.Edges, env.JwtKey, 16);
        // Every user who wrote reads all of it back: their history from before the demo and what they wrote in it.
        var writers = traffic.Accepted.Keys.Select(k => k.User).ToHashSet();
        var toldWriters = told.Where(kv => writers.Contains(kv.Key.User)).ToDictionary();
        var answers = await ReadAnswers.CheckAsync(edge, postgres, toldWriters, traffic.FirstContent, o.Celebrity, null, ct);
        var exact = report.Exact && answers.Wrong == 0;
        var (system, naive) = await MemoryAsync(postgres, o);
        var reads = o.Reads.Snapshot();
        var writes = o.Writes.Snapshot();
        var seconds = o.Elapsed.TotalSeconds;
        var burst = o.Burst;
        var saving = naive.Bytes > 0 ? 100.0 * (1 - (double)system.Bytes / naive.Bytes) : 0;

        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("", "");
        table.AddRow("population", $"{o.Population.Shape.Users:N0} users, {o.Population.Likes:N0} likes loaded before the demo; {o.Options.Users:N0} of them active (the scrollers)");
        var (scrolling, inBurst) = (o.ReadsScrolling.Snapshot(), o.ReadsInBurst.Snapshot());
        table.AddRow("feed reads", $"{o.Reads.Ok:N0} ({o.Reads.Ok / seconds:N0}/s), p50 {reads.P50:F1} ms, p99 {reads.P99:F1} ms: "
            + $"while only scrolling p50 {scrolling.P50:F1} ms, p99 {scrolling.P99:F1} ms ({scrolling.Count:N0}); "
            + $"during the celebrity burst p50 {inBurst.P50:F1} ms, p99 {inBurst.P99:F1} ms ({inBurst.Count:N0})");
        table.AddRow("likes and unlikes", $"{o.WritesInWarmUp.Ok + o.Writes.Ok + burst.Likes:N0} accepted in all: {o.WritesInWarmUp.Ok:N0} in the warm-up, {o.Writes.Ok:N0} while scrolling ({o.Writes.Ok / seconds:N0}/s, p99 {writes.P99:F1} ms) "
            + $"and {burst.Likes:N0} in the celebrity burst; {Refused(o.WritesInWarmUp) + Refused(o.Writes) + burst.Load.Failed:N0} refused or failed");
        table.AddRow("celebrity burst", $"{burst.Likes:N0} likes in {burst.Load.Seconds:F1} s ({burst.Load.PerSecond:N0}/s, p99 {burst.Load.Latency.P99:F1} ms): "
            + $"{burst.CountChanges:N0} count-row updates in PostgreSQL, {burst.CounterWrites:N0} writes of its Redis counter ({burst.Likes / (double)Math.Max(1, burst.CounterWrites):N0} likes per write, "
            + $"at most {burst.MostCounterWritesInASecond} in a second); exact {Seconds(burst.SecondsToExact)} after the last like");
        table.AddRow("exact against PostgreSQL", report.Exact
            ? $"[green]yes[/]: {report.ExpectedLikes:N0} likes, 0 lost, 0 of {report.Contents:N0} counts off (Redis = stored = COUNT(*))"
            : $"[red]no[/]: {report.Lost} lost, {report.Extra} unexpected, {report.DriftContents} of {report.Contents:N0} counts off");
        table.AddRow("answers as users read them", answers.Wrong == 0
            ? $"[green]right[/]: feed-state of every pair the writers liked before or wrote ({answers.Facts / 2:N0}: liked and count) and the my-likes of all {answers.Users:N0} of them"
            : $"[red]{answers.Wrong:N0} wrong[/]: {answers.WrongLiked} liked, {answers.WrongCounts} counts, {answers.WrongMyLikes} my-likes ({Markup.Escape(string.Join("; ", answers.Samples.Take(3)))})");
        var (fromRedis, fromPostgres) = (o.ReadsFromRedis, o.ReadsFromPostgres);
        table.AddRow("promise: feed pages from Redis", $"{fromRedis.PerSecond:N0} pages/s, p50 {fromRedis.Latency.P50:F1} ms, p99 {fromRedis.Latency.P99:F1} ms; "
            + $"the same pages from PostgreSQL alone: {fromPostgres.PerSecond:N0} pages/s, p50 {fromPostgres.Latency.P50:F1} ms, p99 {fromPostgres.Latency.P99:F1} ms "
            + $"({fromRedis.PerSecond / Math.Max(1, fromPostgres.PerSecond):F1}x the rate; reads only, {fromRedis.Clients} clients each, this run)");
        table.AddRow("promise: a hot post's counter", $"{burst.Load.PerSecond:N0} likes/s on one content became {burst.CounterWrites:N0} writes of its Redis counter, "
            + $"at most {burst.MostCounterWritesInASecond} in a second (the design's bound: 10), {burst.Likes / (double)Math.Max(1, burst.CounterWrites):N0} likes per write");
        table.AddRow("promise: Redis memory", $"{Kb(system.Bytes)} (every counter of these contents + the timelines of all {o.Population.Shape.Users:N0} users, {o.Options.Users:N0} active) "
            + $"vs {Kb(naive.Bytes)} for a SET of likers per content holding the same {report.Rows:N0} likes: "
            + (saving >= 0 ? $"{saving:F0} % less" : $"{-saving:F0} % more at this small scale; ./likes bench measures it at 2,000,000 likes"));
        table.AddRow("caught up", settled.CaughtUp
            ? $"{settled.TotalSeconds:F1} s after the load stopped"
            : $"[red]not within {settled.TotalSeconds:F0} s[/] of the load stopping: the checks above read a fleet still applying ({Markup.Escape(string.Join("; ", settled.Behind.Take(2)))})");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(exact
            ? "[green]Every accepted like is in PostgreSQL, every count is exact in PostgreSQL and Redis, and every user reads what they did.[/]"
            : "[red]Not exact: see the table above.[/]");
        var cluster = env.Cluster ? " --cluster" : "";
        AnsiConsole.MarkupLine($"Next: metrics at {string.Join(", ", env.Edges.Select(e => $"{e}metrics"))} and on every daemon's port "
            + $"([bold]./likes status{cluster}[/] lists them); [bold]./likes bench{cluster} --quick[/]; stop everything with [bold]./likes down{cluster}[/].");
        return exact ? 0 : 1;
    }

    /// <summary>The demo's keys (its contents' counters, its users' timelines) against naive sets of the same likes, built and dropped.</summary>
    private async Task<(KeysCost System, NaiveFigures Naive)> MemoryAsync(NpgsqlDataSource postgres, DemoOutcome o)
    {
        var traffic = o.Traffic;
        var memory = new RedisMemory(redis);
        var counters = await memory.MeasureAsync(LongRange(traffic.FirstContent, o.Celebrity).Select(c => (RedisKey)keys.CounterBucket(c)).Distinct());
        var timelines = await memory.MeasureAsync(Enumerable.Range(0, o.Population.Shape.Users).Select(u => (RedisKey)keys.Timeline(o.Population.IdOfUser(u))));
        await using var connection = await postgres.OpenConnectionAsync();
        var likers = await connection.QueryAsync<(long Content, long[] Users)>(
            "SELECT content_id, array_agg(user_id) FROM likes WHERE content_id BETWEEN @from AND @to GROUP BY content_id",
            new { from = traffic.FirstContent, to = o.Celebrity });
        var naive = await new NaiveLikerSets(redis, $"likes-demo-naive:{traffic.FirstContent.ToString(CultureInfo.InvariantCulture)}:").MeasureAsync(likers);
        return (counters + timelines, naive);
    }

    private static IEnumerable<long> LongRange(long first, long last)
    {
        for (var i = first; i <= last; i++)
        {
            yield return i;
        }
    }

    private static long Refused(Load.LatencyRecorder writes) => writes.ClientErrors + writes.ServerErrors + writes.Failures;

    private static string Kb(long bytes) => (bytes / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " KiB";

    private static string Seconds(double seconds) => double.IsFinite(seconds) ? $"{seconds:F2} s" : "not within a minute";
}
