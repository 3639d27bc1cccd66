using System.Globalization;
using System.Net;
using Dapper;
using Likes.Fixtures;
using Likes.Shared.Changes;
using Likes.Shared.Consuming;
using NATS.Client.JetStream.Models;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>The change stream through the fleet: a consumer that reads it alone rebuilds every count PostgreSQL holds.</summary>
public sealed class ChangeStreamLiveTests(LiveStackFixture stack) : IClassFixture<LiveStackFixture>
{
    [Fact]
    public async Task Counts_RebuiltFromTheChangeStreamAlone_EqualPostgres()
    {
        var contents = Enumerable.Range(0, 6).Select(_ => Contents.Next()).ToList();
        var users = Enumerable.Range(0, 8).Select(_ => Users.Next()).ToList();
        var random = new Random(3);
        for (var i = 0; i < 120; i++)
        {
            var (user, content) = (users[random.Next(users.Count)], contents[random.Next(contents.Count)]);
            var sent = random.Next(3) == 0 ? stack.Client.UnlikeAsync(Id(content), Tokens.For(user)) : stack.Client.LikeAsync(Id(content), Tokens.For(user));
            Assert.Equal(HttpStatusCode.Accepted, (await sent).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.EraseAsync(Tokens.For(users[0]))).StatusCode);
        var deleted = contents[^1];
        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/contents/{deleted}")
        {
            Headers = { Authorization = new("Bearer", Tokens.Service()) },
        })).StatusCode);
        for (var i = 0; i < 30; i++)
        {
            var (user, content) = (users[1 + random.Next(users.Count - 1)], contents[random.Next(contents.Count - 1)]);
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(Id(content), Tokens.For(user))).StatusCode);
        }

        // Settled: every event applied and acked by the persister, the outbox relayed.
        await Eventually.UntilAsync(
            async () => await PersisterDrainedAsync() && await ScalarAsync("SELECT count(*) FROM change_outbox", new { }) == 0,
            TimeSpan.FromSeconds(30), "applied and relayed");

        var changes = await ReadChangesAsync();
        var rebuilt = new Dictionary<long, ContentChange>();
        foreach (var change in changes)
        {
            if (!rebuilt.TryGetValue(change.ContentId, out var seen) || change.Version > seen.Version)
            {
                rebuilt[change.ContentId] = change;
            }
        }

        await using var c = await stack.Postgres.OpenConnectionAsync();
        var truth = (await c.QueryAsync<(long Content, long Count, bool Deleted)>(
            "SELECT content_id, like_count, deleted_at IS NOT NULL FROM content_like_counts WHERE content_id = ANY(@contents)", new { contents = contents.ToArray() }))
            .ToDictionary(r => r.Content, r => r.Deleted ? 0 : r.Count);
        Assert.Equal(truth, rebuilt.Where(r => contents.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value.Kind == ChangeKind.ContentDeleted ? 0 : r.Value.Count));
        Assert.Equal(ChangeKind.ContentDeleted, rebuilt[deleted].Kind);
        Assert.Contains(changes, ch => ch.Kind == ChangeKind.Erased && ch.UserId == users[0]);
        // A user's changes come in the order they happened: ids rise per user; and every id is there once.
        Assert.All(changes.GroupBy(ch => ch.UserId), g => Assert.Equal(g.Select(ch => ch.ChangeId).Order(), g.Select(ch => ch.ChangeId)));
        Assert.Equal(changes.Count, changes.Select(ch => ch.ChangeId).Distinct().Count());
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<List<ContentChange>> ReadChangesAsync()
    {
        var stream = await stack.JetStream.GetStreamAsync(stack.Stream.ChangesStreamName);
        Assert.Equal(StreamConfigRetention.Limits, stream.Info.Config.Retention);
        var total = stream.Info.State.Messages;
        var changes = new List<ContentChange>();
        var consumer = await stack.JetStream.CreateOrderedConsumerAsync(stack.Stream.ChangesStreamName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            changes.Add(ContentChangeCodec.Decode(msg.Data));
            if (changes.Count == (int)total)
            {
                break;
            }
        }

        return changes;
    }

    private async Task<bool> PersisterDrainedAsync()
    {
        var persister = new WorkerIdentity("persister");
        for (var p = 0; p < stack.Stream.Partitions; p++)
        {
            var info = (await stack.JetStream.GetConsumerAsync(stack.Stream.Name, persister.DurableName(p))).Info;
            if (info.NumPending > 0 || info.NumAckPending > 0)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<long> ScalarAsync(string sql, object args)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }
}
