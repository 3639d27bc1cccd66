using System.Collections.Concurrent;
using Likes.Bench.Checks;
using Likes.Bench.Load;
using Likes.Shared;
using Npgsql;
using Spectre.Console;
using StackExchange.Redis;

namespace Likes.Bench.Demo;

/// <summary>
/// The demo: simulated users liking and unliking through the edge with a live progress line, then a
/// summary that checks every accepted like against PostgreSQL and Redis.
/// </summary>
public sealed class DemoWorkload(BenchEnvironment env, DemoOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // A content id range of this run's own, so earlier runs cannot blur the exactness check.
        var firstContent = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 10_000;
        var lastContent = firstContent + options.Contents - 1;
        var zipf = new Zipf(options.Contents);
        var accepted = new ConcurrentDictionary<(long, long), bool>();

        using var edge = new EdgeClient(env.Edge, env.JwtKey, options.Clients);
        AnsiConsole.MarkupLine($"[bold]Likes demo[/]: {options.Users:N0} users, {options.Contents:N0} contents (Zipf), {options.Clients} clients, {options.Duration.TotalSeconds:F0} s through {env.Edge}");

        var result = await ClosedLoop.RunAsync(options.Clients, options.Duration, long.MaxValue, async (client, random, ct) =>
        {
            // Each user belongs to one client, so a user's requests are sequential and "last accepted" is well defined.
            var user = (long)(random.Next(options.Users / options.Clients) * options.Clients + client + 1);
            var content = firstContent + zipf.Next(random) - 1;
            var like = random.NextDouble() >= options.UnlikeShare;
            var status = await edge.LikeAsync(user, content, like, ct);
            if (status == 202)
            {
                accepted[(user, content)] = like;
            }

            return status;
        }, Progress, cancellationToken);
        Console.WriteLine();

        var latency = result.Recorder.Snapshot();
        await using var postgres = NpgsqlDataSource.Create(env.Postgres);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(env.Redis);
        var exactness = new Exactness(postgres, redis, new RedisKeys(env.KeyPrefix));
        var expected = accepted.Count(kv => kv.Value);
        var settle = await CatchUp.WaitAsync(env, TimeSpan.FromSeconds(120), cancellationToken);
        var report = await exactness.CheckAsync(accepted, firstContent, lastContent);

        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "");
        table.AddRow("requests", $"{result.Recorder.Total:N0} in {result.Elapsed.TotalSeconds:F1} s ({result.Throughput:N0}/s)");
        table.AddRow("accepted (202)", $"{result.Recorder.Ok:N0}");
        table.AddRow("rejected 4xx / 5xx / failed", $"{result.Recorder.ClientErrors:N0} / {result.Recorder.ServerErrors:N0} / {result.Recorder.Failures:N0}");
        table.AddRow("write latency p50 / p99 / max", $"{latency.P50:F2} / {latency.P99:F2} / {latency.Max:F1} ms");
        table.AddRow("likes that should exist", $"{expected:N0} on {report.Contents:N0} contents");
        table.AddRow("in PostgreSQL", $"{report.Rows:N0} (lost {report.Lost}, unexpected {report.Extra})");
        table.AddRow("contents with count drift", $"{report.DriftContents} (Redis vs stored count vs COUNT(*)); {report.MissingCounters} without a Redis counter");
        table.AddRow("caught up after the load", $"{settle.TotalSeconds:F1} s");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(report.Exact
            ? "[green]Every accepted like is in PostgreSQL, and every count is exact in PostgreSQL and Redis.[/]"
            : "[red]Not exact: see the table above.[/]");
        AnsiConsole.MarkupLine($"Next: metrics at {env.Edge}metrics and http://127.0.0.1:9101/metrics … :9104; [bold]./likes status[/]; stop with [bold]./likes down[/].");
        return report.Exact ? 0 : 1;
    }

    private static void Progress(LatencyRecorder recorder, TimeSpan elapsed)
    {
        var line = $"  {elapsed.TotalSeconds,5:F1} s  accepted {recorder.Ok,9:N0}  ({recorder.Ok / Math.Max(elapsed.TotalSeconds, 0.001),7:N0}/s)  4xx {recorder.ClientErrors,5:N0}  5xx {recorder.ServerErrors,5:N0}";
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(line);
        }
        else
        {
            Console.Write("\r" + line);
        }
    }
}

public sealed record DemoOptions(int Users, int Contents, int Clients, TimeSpan Duration, double UnlikeShare);
