using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Likes.Admin.Access;
using Likes.Fixtures;
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

    /// <summary>Refusals the grants make on purpose: the Redis client's CONFIG GET probe (it can read credentials).</summary>
    private static readonly string[] ExpectedRefusals = ["config|get"];

    [Fact]
    public async Task EveryDaemon_WithOnlyItsOwnGrants_DoesAllItsWork_AndNoServerRefusesIt()
    {
        var redis = stack.Redis.GetDatabase();
        await redis.ExecuteAsync("ACL", "LOG", "RESET");
        var natsLog = stack.NatsServer.LogLength;
        var postgresLog = stack.PostgresServer.LogLength;
        await using var fleet = await Fleet.StartAsync(stack, stack.Password);
        await fleet.AllReadyAsync();
        using var edge = new HttpClient { BaseAddress = fleet.Edge };

        // Edge publishes, persister writes PostgreSQL and the counter, aggregator the timelines.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, $"/v1/likes/{Content}", Alice)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(edge, fleet, HttpMethod.Put, $"/v1/likes/{Content}", Bob)).StatusCode);
        await Eventually.UntilAsync(async () => (string?)await redis.StringGetAsync(Counter) is { } c && c.StartsWith("2:", StringComparison.Ordinal), what: "the counter at 2");
        await Eventually.UntilAsync(async () => await redis.SortedSetScoreAsync(Timeline(Alice), Content) is not null, what: "Alice's timeline");
        Assert.Equal((2, true), await FeedStateAsync(edge, fleet, Alice));

        // A missing timeline: the edge answers from PostgreSQL and asks for a rebuild, the reheater makes it.
        await redis.KeyDeleteAsync(Timeline(Alice));
        Assert.Equal((2, true), await FeedStateAsync(edge, fleet, Alice));
        await Eventually.UntilAsync(async () => await redis.SortedSetScoreAsync(Timeline(Alice), Content) is not null, what: "Alice's timeline rebuilt by the reheater");

        // Drift in PostgreSQL's count: the reconciler's audit repairs the row and the counter.
        await using (var drift = stack.Postgres.CreateCommand($"UPDATE content_like_counts SET like_count = 5 WHERE content_id = {Content}"))
        {
            await drift.ExecuteNonQueryAsync();
        }

        var reconcile = await DaemonProcess.RunAsync("Likes.Reconciler", ["reconcile", "--full"], Environment(Identity.Reconciler));
        Assert.True(reconcile.ExitCode == 0, reconcile.Output);
        await using (var count = stack.Postgres.CreateCommand($"SELECT like_count FROM content_like_counts WHERE content_id = {Content}"))
        {
            Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
        }

        // Bytes that are no event: both consumers dead-letter them and keep going.
        var partition = Partitioner.PartitionOf(Alice, stack.Stream.Partitions);
        await new EventPublisher(stack.JetStream, stack.Stream).PublishRawAsync(partition, "\u0001 not an event"u8.ToArray());
        await Eventually.UntilAsync(async () => (await stack.JetStream.GetStreamAsync(stack.Stream.DeadLetterStreamName)).Info.State.Messages >= 2,
            what: "a dead letter from the aggregator and one from the persister");

        var refusals = await RedisRefusalsAsync();
        Assert.True(refusals.Count == 0, "Redis refused: " + string.Join("; ", refusals));
        var nats = stack.NatsServer.LogSince(natsLog);
        Assert.DoesNotContain("Violation", nats, StringComparison.Ordinal);
        var postgres = stack.PostgresServer.LogSince(postgresLog);
        Assert.DoesNotContain("permission denied", postgres, StringComparison.Ordinal);

        await AssertNoSecretShowsAsync(fleet, reconcile.Output);
    }

    [Fact]
    public async Task EveryDaemon_WithWrongPasswords_IsNotReady_AndShowsNoPasswordWhereItSaysSo()
    {
        var wrong = new Dictionary<(Identity, Store), string>();
        await using var fleet = await Fleet.StartAsync(stack, (who, store) => wrong[(who, store)] = "wrong-" + Guid.NewGuid().ToString("N"));

        await fleet.NoneReadyAsync();
        // Long enough for the consumer loops and clients to log their failed attempts and first retries.
        await Task.Delay(TimeSpan.FromSeconds(3));

        await AssertNoSecretShowsAsync(fleet, string.Empty, [.. wrong.Values]);
        Assert.All(fleet.Daemons, d => Assert.False(string.IsNullOrWhiteSpace(d.Process.Output), $"{d.Who} logged nothing about failing"));
    }

    private string Counter => $"{stack.KeyPrefix}c:{Content}";

    private string Timeline(long user) => $"{stack.KeyPrefix}t{{{user}}}";

    private Dictionary<string, string?> Environment(Identity who) => stack.EnvironmentFor(who);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient edge, Fleet fleet, HttpMethod method, string path, long user)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(user.ToString(System.Globalization.CultureInfo.InvariantCulture), fleet.JwtKey));
        return await edge.SendAsync(request);
    }

    private static async Task<(long Count, bool Liked)> FeedStateAsync(HttpClient edge, Fleet fleet, long user)
    {
        using var response = await SendAsync(edge, fleet, HttpMethod.Get, $"/v1/feed-state?ids={Content}", user);
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
