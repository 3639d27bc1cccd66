using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Likes.Admin.Access;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Partitioning;
using NATS.Client.JetStream;
using StackExchange.Redis;
using Xunit;

namespace Likes.Security.Tests;

/// <summary>
/// Every way a consumer reads events from the stream instead of a delivery, done by the aggregator and the persister
/// logging in as themselves: events the server says are done that the worker never applied (a stray client acked
/// them), found after an idle fetch; a batch a gone owner held unacked; events taken by someone else, found before the
/// next event delivered. Each is applied, and no server refuses any of it.
/// </summary>
[Collection(AuthStack.Collection)]
public sealed partial class RecoveryPathsTests(AuthStack stack)
{
    private const int Passed = 30;
    private const int Held = 20;
    private const int Taken = 10;

    [Theory]
    [InlineData("aggregator", "Likes.Aggregator", 500_000)]
    [InlineData("persister", "Likes.Persister", 600_000)]
    public async Task HeldGapAndIdleRecoveries_RunWithTheWorkersOwnGrants_AndApplyEverything(string worker, string assembly, long firstUser)
    {
        await stack.Redis.GetDatabase().ExecuteAsync("ACL", "LOG", "RESET");
        var natsLog = stack.NatsServer.LogLength;
        var publisher = new EventPublisher(stack.JetStream, stack.Stream);
        var users = Enumerable.Range(0, 5000).Select(i => firstUser + i).Where(u => Partitioner.PartitionOf(u, stack.Stream.Partitions) == 0).Take(1 + Passed + Held + 1 + Taken + 1).ToList();
        var durable = $"{worker}-p0";
        var environment = stack.EnvironmentFor(Identity.Named(worker));
        // Longer than the test: a held batch is redelivered only after AckWait, and here it must not be.
        environment["Consumer:AckWait"] = TimeSpan.FromMinutes(2).ToString();
        var expected = new List<(long User, long Content)>();

        async Task PublishAsync(IEnumerable<long> who)
        {
            foreach (var user in who)
            {
                await publisher.PublishAsync(publisher.Like(user, user + 1));
                expected.Add((user, user + 1));
            }
        }

        // The worker applied partition 0 up to here, and stopped.
        await using (var first = await StartAsync(assembly, environment))
        {
            await PublishAsync(users.Take(1));
            await AppliedAsync(worker, expected);
        }

        // Idle: the server says these are done (acked by someone else); the worker never saw them.
        await PublishAsync(users.Skip(1).Take(Passed));
        await TakeAsync(durable, Passed, ack: true);
        await using (var idle = await StartAsync(assembly, environment))
        {
            await AppliedAsync(worker, expected, idle);
            Assert.True(await RecoveredAsync(idle, worker, "idle") >= Passed, await RecoveriesAsync(idle, "the idle path did not apply them"));
        }

        // Held: a gone owner fetched a batch and never acked it; a new event came after it.
        await PublishAsync(users.Skip(1 + Passed).Take(Held));
        await TakeAsync(durable, Held, ack: false);
        await PublishAsync(users.Skip(1 + Passed + Held).Take(1));
        await using (var held = await StartAsync(assembly, environment))
        {
            await AppliedAsync(worker, expected, held);
            Assert.True(await RecoveredAsync(held, worker, "held") >= Held, await RecoveriesAsync(held, "the held path did not apply them"));
        }

        // Gap: someone else took (and acked) events of the partition; the next one delivered comes after them.
        await PublishAsync(users.Skip(2 + Passed + Held).Take(Taken));
        await TakeAsync(durable, Taken, ack: true);
        await PublishAsync(users.Skip(2 + Passed + Held + Taken).Take(1));
        await using (var gap = await StartAsync(assembly, environment))
        {
            await AppliedAsync(worker, expected, gap);
            // The held events above are still pending (acked when redelivered after AckWait), so a recovery before this
            // session's first ack may count as held.
            var recovered = await RecoveredAsync(gap, worker, "gap") + await RecoveredAsync(gap, worker, "held");
            Assert.True(recovered >= Taken, await RecoveriesAsync(gap, "the gap path did not apply them"));
        }

        var refusals = await RefusalsSinceAsync(natsLog);
        Assert.True(refusals.Count == 0, "refused:\n" + string.Join('\n', refusals));
    }

    private static async Task<RunningWorker> StartAsync(string assembly, Dictionary<string, string?> environment)
    {
        var port = DaemonProcess.FreePort();
        var process = DaemonProcess.Start(assembly, environment, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    return (await http.GetAsync($"http://127.0.0.1:{port}/healthz/ready")).IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), $"{assembly} ready");
        }
        catch (TimeoutException ex)
        {
            // Not left running: it would go on consuming the stream the next steps read.
            var output = process.Output;
            await process.DisposeAsync();
            throw new TimeoutException($"{ex.Message}; its output:\n{output}", ex);
        }

        return new RunningWorker(process, port);
    }

    /// <summary>A client other than the worker fetches <paramref name="count"/> deliveries, acking each or holding them all.</summary>
    private async Task TakeAsync(string durable, int count, bool ack)
    {
        var consumer = await stack.JetStream.GetConsumerAsync(stack.Stream.Name, durable);
        var taken = 0;
        var delivered = new List<INatsJSMsg<byte[]>>();
        while (taken < count)
        {
            await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = count - taken, Expires = TimeSpan.FromSeconds(2) }))
            {
                delivered.Add(msg);
                taken++;
            }
        }

        foreach (var msg in ack ? delivered : [])
        {
            await msg.AckAsync();
        }
    }

    /// <summary>Waits until every expected like is in the worker's store: the persister's PostgreSQL, the aggregator's timelines.</summary>
    private async Task AppliedAsync(string worker, List<(long User, long Content)> expected, RunningWorker? running = null)
    {
        var keys = new RedisKeys(stack.KeyPrefix);
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                if (worker == "persister")
                {
                    await using var c = await stack.Postgres.OpenConnectionAsync();
                    var rows = (await c.QueryAsync<(long, long)>("SELECT user_id, content_id FROM likes")).ToHashSet();
                    return expected.Count(rows.Contains);
                }

                var db = stack.Redis.GetDatabase();
                var found = await Task.WhenAll(expected.Select(e => db.SortedSetScoreAsync(keys.Timeline(e.User), e.Content)));
                return found.Count(s => s is not null);
            }, n => n == expected.Count, TimeSpan.FromSeconds(60), $"{expected.Count} likes applied by the {worker}");
        }
        catch (TimeoutException ex) when (running is not null)
        {
            var refusals = stack.NatsServer.LogSince(0).Split('\n').Where(l => l.Contains("Violation", StringComparison.Ordinal)).TakeLast(5);
            var state = await new EventPublisher(stack.JetStream, stack.Stream).DescribeAsync(worker);
            throw new TimeoutException($"{ex.Message}; NATS refused:\n{string.Join('\n', refusals)}\n{state}\nits log:\n{running.Process.Output}", ex);
        }
    }

    private static async Task<double> RecoveredAsync(RunningWorker running, string worker, string path)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{running.Port}/metrics");
        var line = RecoveredLine().Matches(metrics).FirstOrDefault(m => m.Groups[1].Value == worker && m.Groups[2].Value == path);
        return line is null ? 0 : double.Parse(line.Groups[3].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>What a worker says it recovered, by path, and its log: why an assertion on them failed.</summary>
    private static async Task<string> RecoveriesAsync(RunningWorker running, string message)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{running.Port}/metrics");
        return $"{message}: {string.Join(", ", RecoveredLine().Matches(metrics).Select(m => m.Value))}\n{running.Process.Output}";
    }

    /// <summary>NATS's permission violations since the offset and Redis's ACL denials since the reset.</summary>
    private async Task<List<string>> RefusalsSinceAsync(long natsLog)
    {
        var refused = stack.NatsServer.LogSince(natsLog).Split('\n').Where(l => l.Contains("Violation", StringComparison.Ordinal)).ToList();
        foreach (var entry in (RedisResult[])(await stack.Redis.GetDatabase().ExecuteAsync("ACL", "LOG"))!)
        {
            var fields = entry.ToDictionary();
            if (fields["object"].ToString() != "config|get")
            {
                refused.Add($"{fields["username"]} {fields["reason"]} {fields["object"]}");
            }
        }

        return refused;
    }

    [GeneratedRegex("""^likes_consumer_events_recovered_total\{worker="(\w+)",path="(\w+)"\} (\S+)""", RegexOptions.Multiline)]
    private static partial Regex RecoveredLine();

    private sealed record RunningWorker(DaemonProcess Process, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
