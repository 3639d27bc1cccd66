using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Likes.Admin.Access;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Partitioning;
using StackExchange.Redis;
using Xunit;

namespace Likes.Security.Tests;

/// <summary>
/// The other half of least privilege: with nothing but its own grants every daemon still does all its work
/// (likes written through, a timeline rebuilt, drift repaired, poison dead-lettered), no server refuses any of
/// it, and no password or key shows in what the daemons log, export or answer, right credentials or wrong.
/// </summary>
[Collection(AuthStack.Collection)]
public sealed class LeastPrivilegeFleetTests(AuthStack stack)
{
    private const long Content = 7;
    private const long Alice = 1001;
    private const long Bob = 1002;

    /// <summary>A heavy user: more likes than the timeline holds (<see cref="Fleet.TimelineSize"/>), so a Bloom filter too.</summary>
    private const long Carol = 1003;

    /// <summary>Refusals the grants make on purpose: the Redis client's CONFIG GET probe (it can read credentials).</summary>
    private static readonly string[] ExpectedRefusals = ["config|get"];

    [Fact]
    public async Task EveryDaemon_WithOnlyItsOwnGrants_DoesAllItsWork_AndNoServerRefusesIt()
    {
        await stack.Redis.GetDatabase().ExecuteAsync("ACL", "LOG", "RESET");
        var natsLog = stack.NatsServer.LogLength;
        var postgresLog = stack.PostgresServer.LogLength;
        await using var fleet = await Fleet.StartAsync(stack, stack.Password);
        await fleet.AllReadyAsync();

        string reconcileOutput;
        try
        {
            reconcileOutput = await DoAllTheWorkAsync(fleet);
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            // What a missing grant looks like from outside is a step that never happens: say what was refused.
            throw new InvalidOperationException($"{ex.Message}\n{await RefusalsSinceAsync(natsLog, postgresLog)}\n{Warnings(fleet)}", ex);
        }

        var refusals = await RefusalsSinceAsync(natsLog, postgresLog);
        Assert.True(refusals.Length == 0, refusals);
        await AssertNoSecretShowsAsync(fleet, reconcileOutput);
    }

    [Fact]
    public async Task EveryDaemon_WithWrongPasswords_ReportsItsServersDown_AndShowsNoPasswordWhereItSaysSo()
    {
        var wrong = new Dictionary<(Identity, Store), string>();
        await using var fleet = await Fleet.StartAsync(stack, (who, store) => wrong[(who, store)] = "wrong-" + Guid.NewGuid().ToString("N"));

        await fleet.AllReportTheirServersDownAsync();
        // Long enough for the consumer loops and clients to log their failed attempts and first retries.
        await Task.Delay(TimeSpan.FromSeconds(3));

        await AssertNoSecretShowsAsync(fleet, string.Empty, [.. wrong.Values]);
        Assert.All(fleet.Daemons, d => Assert.False(string.IsNullOrWhiteSpace(d.Process.Output), $"{d.Who} logged nothing about failing"));
    }

    /// <summary>Every daemon's work, as users would cause it; returns the reconcile command's output.</summary>
    private async Task<string> DoAllTheWorkAsync(Fleet fleet)
    {
        var redis = stack.Redis.GetDatabase();
        using var edge = new HttpClient { BaseAddress = fleet.Edge };
        (int ExitCode, string Output) reconcile;


        // Edge publishes, persister writes PostgreSQL and the counter, aggregator the timelines.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, $"/v1/likes/{Content}", Alice)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, $"/v1/likes/{Content}", Bob)).StatusCode);
        await Eventually.UntilAsync(async () => (string?)await CounterStore.Read(redis, new RedisKeys(stack.KeyPrefix), Content) is { } c && c.StartsWith("2:", StringComparison.Ordinal), what: "the counter at 2");
        await Eventually.UntilAsync(async () => await redis.SortedSetScoreAsync(Timeline(Alice), Content) is not null, what: "Alice's timeline");
        Assert.Equal((2, true), await FeedStateAsync(edge, fleet, Alice));

        // A retried write with its Idempotency-Key (the edge claims the key in its bucket), and the key reused for another write.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, $"/v1/likes/{Content}", Alice, "alice-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, $"/v1/likes/{Content}", Alice, "alice-1")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(edge, fleet, HttpMethod.Delete, $"/v1/likes/{Content}", Alice, "alice-1")).StatusCode);

        // A missing timeline: the edge answers from PostgreSQL and asks for a rebuild, the reheater makes it.
        await redis.KeyDeleteAsync(Timeline(Alice));
        Assert.Equal((2, true), await FeedStateAsync(edge, fleet, Alice));
        await Eventually.UntilAsync(async () => await redis.SortedSetScoreAsync(Timeline(Alice), Content) is not null, what: "Alice's timeline rebuilt by the reheater");

        // A heavy user: the reheater rebuilds a truncated timeline with a filter of every like, the edge reads
        // both, the aggregator keeps the filter, the persister asks for a refresh on a duplicate of a cold like,
        // and my-likes pages run from the timeline into PostgreSQL.
        var carolsLikes = Fleet.TimelineSize + 2;
        for (var content = 101; content < 101 + carolsLikes; content++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, $"/v1/likes/{content}", Carol)).StatusCode);
        }

        await using (var rows = stack.Postgres.CreateCommand($"SELECT count(*) FROM likes WHERE user_id = {Carol}"))
        {
            // A fleet of five processes started for this test: on a loaded machine its first batches take longer than the default wait.
            await Eventually.UntilAsync(async () => (long)(await rows.ExecuteScalarAsync())! == carolsLikes, TimeSpan.FromSeconds(60), "Carol's likes in PostgreSQL");
        }

        await redis.KeyDeleteAsync(Timeline(Carol));
        Assert.Equal((1, true), await FeedStateAsync(edge, fleet, Carol, 101));
        await Eventually.UntilAsync(async () => await redis.KeyExistsAsync($"{stack.KeyPrefix}b{{{Carol}}}"), what: "Carol's filter built by the reheater");
        Assert.Equal((1, true), await FeedStateAsync(edge, fleet, Carol, 101));
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, "/v1/likes/101", Carol)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, "/v1/likes/999", Carol)).StatusCode);
        await Eventually.UntilAsync(async () => await redis.SortedSetScoreAsync(Timeline(Carol), 999) is not null, what: "Carol's newest like applied");
        // Eventually: the repeated like of 101 may sit in the timeline with its new time until the persister's
        // refresh has the reheater rebuild it (docs/api.md), and that refresh is part of the work checked here.
        await Eventually.UntilAsync(async () =>
        {
            using var page = await SendAsync(edge, fleet, HttpMethod.Get, "/v1/users/me/likes?limit=100", Carol);
            var body = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, body);
            return JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength() == carolsLikes + 1;
        }, what: "Carol's likes, each once, in my-likes");

        // Drift in PostgreSQL's count: the reconciler's audit repairs the row and the counter.
        await using (var drift = stack.Postgres.CreateCommand($"UPDATE content_like_counts SET like_count = 5 WHERE content_id = {Content}"))
        {
            await drift.ExecuteNonQueryAsync();
        }

        reconcile = await DaemonProcess.RunAsync("Likes.Reconciler", ["reconcile", "--full"], Environment(Identity.Reconciler));
        Assert.True(reconcile.ExitCode == 0, reconcile.Output);

        // A timeline holding a like PostgreSQL lacks: the recent run's sample finds it and deletes the timeline.
        await redis.SortedSetAddAsync(Timeline(Alice), 424_242, 1_764_000_000_000);
        var reconciler = Environment(Identity.Reconciler);
        reconciler["Reconciler__Grace"] = "00:00:00.500";
        var recent = await DaemonProcess.RunAsync("Likes.Reconciler", ["reconcile"], reconciler);
        Assert.True(recent.ExitCode == 0, recent.Output);
        Assert.False(await redis.KeyExistsAsync(Timeline(Alice)), "Alice's drifted timeline deleted by the reconciler:\n" + recent.Output);
        await using (var count = stack.Postgres.CreateCommand($"SELECT like_count FROM content_like_counts WHERE content_id = {Content}"))
        {
            Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
        }

        // Privacy, who-liked, export, erasure and a content's deletion: the persister mirrors a private user's likes and
        // relays its changes to the change stream, the aggregator empties an erased user's timeline, the edge reads
        // the likers, settings and export from PostgreSQL.
        using (var hide = await SendAsync(edge, fleet, HttpMethod.Put, "/v1/users/me/settings", Bob, body: """{"likesPublic":false}"""))
        {
            Assert.Equal(HttpStatusCode.OK, hide.StatusCode);
        }

        await Eventually.UntilAsync(async () => await BodyAsync(edge, fleet, $"/v1/contents/{Content}/likers", Alice) is var likers && likers.Contains("\"privateLikers\":1", StringComparison.Ordinal), what: "Bob counted private");
        Assert.Contains("\"likesPublic\":false", await BodyAsync(edge, fleet, "/v1/users/me/settings", Bob), StringComparison.Ordinal);
        Assert.Contains($"\"contentId\":\"{Content}\"", await BodyAsync(edge, fleet, "/v1/users/me/likes/export", Alice), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Delete, "/v1/users/me/likes", Bob)).StatusCode);
        await Eventually.UntilAsync(async () => (string?)await CounterStore.Read(redis, new RedisKeys(stack.KeyPrefix), Content) is { } c && c.StartsWith("1:", StringComparison.Ordinal), what: "Bob's like erased");
        await Eventually.UntilAsync(async () => await redis.SortedSetLengthAsync(Timeline(Bob)) == 1, what: "Bob's timeline emptied");
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Delete, "/v1/contents/101", 1, roles: ["likes.admin"])).StatusCode);
        await Eventually.UntilAsync(async () => (string?)await CounterStore.Read(redis, new RedisKeys(stack.KeyPrefix), 101) is { } c && c.StartsWith("d:", StringComparison.Ordinal), what: "content 101 deleted");
        Assert.Equal(HttpStatusCode.Gone, (await SendAsync(edge, fleet, HttpMethod.Put, "/v1/likes/101", Alice)).StatusCode);
        await Eventually.UntilAsync(async () => (await stack.JetStream.GetStreamAsync(stack.Stream.ChangesStreamName)).Info.State.Messages > 0, what: "changes relayed");

        // Bytes that are no event: both consumers dead-letter them and keep going.
        var partition = Partitioner.PartitionOf(Alice, stack.Stream.Partitions);
        await new EventPublisher(stack.JetStream, stack.Stream).PublishRawAsync(partition, "\u0001 not an event"u8.ToArray());
        await Eventually.UntilAsync(async () => (await stack.JetStream.GetStreamAsync(stack.Stream.DeadLetterStreamName)).Info.State.Messages >= 2,
            what: "a dead letter from the aggregator and one from the persister");

        return reconcile.Output;
    }

    /// <summary>What the servers refused since the offsets: Redis's ACL LOG (but for the refusals made on purpose), NATS's violations, PostgreSQL's denials.</summary>
    private async Task<string> RefusalsSinceAsync(long natsLog, long postgresLog)
    {
        var refused = new List<string>(await RedisRefusalsAsync());
        refused.AddRange(stack.NatsServer.LogSince(natsLog).Split('\n').Where(l => l.Contains("Violation", StringComparison.Ordinal)));
        refused.AddRange(stack.PostgresServer.LogSince(postgresLog).Split('\n').Where(l => l.Contains("permission denied", StringComparison.Ordinal)));
        return refused.Count == 0 ? string.Empty : "refused:\n" + string.Join('\n', refused);
    }

    private static string Warnings(Fleet fleet) => string.Join('\n', fleet.Daemons.Select(d =>
        $"{d.Who} warnings:\n" + string.Join('\n', d.Process.Output.Split('\n').Where(l => l.Contains("\"Warning\"", StringComparison.Ordinal) || l.Contains("\"Error\"", StringComparison.Ordinal)).TakeLast(10).Select(l => l.Length > 600 ? l[..600] : l))));

    private string Timeline(long user) => $"{stack.KeyPrefix}t{{{user}}}";

    private Dictionary<string, string?> Environment(Identity who) => stack.EnvironmentFor(who);

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient edge, Fleet fleet, HttpMethod method, string path, long user, string? idempotencyKey = null, string? body = null, string[]? roles = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(user.ToString(System.Globalization.CultureInfo.InvariantCulture), fleet.JwtKey, roles: roles));
        request.Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await edge.SendAsync(request);
    }

    private static async Task<string> BodyAsync(HttpClient edge, Fleet fleet, string path, long user)
    {
        using var response = await SendAsync(edge, fleet, HttpMethod.Get, path, user);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    private static async Task<(long Count, bool Liked)> FeedStateAsync(HttpClient edge, Fleet fleet, long user, long content = Content)
    {
        using var response = await SendAsync(edge, fleet, HttpMethod.Get, $"/v1/feed-state?ids={content}", user);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var item = JsonDocument.Parse(body).RootElement.GetProperty("items")[0];
        return (item.GetProperty("count").GetInt64(), item.GetProperty("liked").GetBoolean());
    }

    /// <summary>ACL LOG since the reset: who was refused what, but for the refusals made on purpose.</summary>
    private async Task<List<string>> RedisRefusalsAsync()
    {
        var log = await stack.Redis.GetDatabase().ExecuteAsync("ACL", "LOG");
        var refusals = new List<string>();
        foreach (var entry in (RedisResult[])log!)
        {
            var fields = entry.ToDictionary();
            var what = fields["object"].ToString();
            if (!ExpectedRefusals.Contains(what))
            {
                refusals.Add($"{fields["username"]} {fields["reason"]} {what}");
            }
        }

        return refusals;
    }

    /// <summary>No password of the stack, no wrong password tried and not the signing key, in any log, metric or health answer.</summary>
    private async Task AssertNoSecretShowsAsync(Fleet fleet, string moreOutput, params string[] moreSecrets)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string[] secrets = [.. stack.AllPasswords, fleet.JwtKey, .. moreSecrets];
        foreach (var (who, process) in fleet.Daemons)
        {
            // A daemon that could not start at all has only its log to show.
            var metrics = process.HasExited ? string.Empty : await http.GetStringAsync(new Uri(fleet.Address(who), "/metrics"));
            var health = process.HasExited ? string.Empty : await (await http.GetAsync(new Uri(fleet.Address(who), "/healthz/ready"))).Content.ReadAsStringAsync();
            foreach (var (where, text) in new[] { ("log", process.Output), ("/metrics", metrics), ("/healthz/ready", health) })
            {
                foreach (var secret in secrets)
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{who}'s {where} shows a secret");
                }
            }
        }

        Assert.DoesNotContain(secrets, moreOutput.Contains);
    }
}
