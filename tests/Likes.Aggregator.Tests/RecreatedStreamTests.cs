using Likes.Admin;
using Likes.Fixtures;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// A stream deleted and provisioned again starts its sequences at 1. What the workers stored of the old stream
/// (timeline sentinels, PostgreSQL's stream positions) is far ahead of the new sequences: it must be known for
/// the old stream's, or every new event below the old high mark is skipped as already applied.
/// </summary>
public sealed class RecreatedStreamTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    /// <summary>How long the stream stays deleted in the second case: several idle fetches of every partition's loop.</summary>
    private static readonly TimeSpan GoneAWhile = TimeSpan.FromSeconds(8);

    [Theory]
    [InlineData(900, false)]
    [InlineData(920, true)]
    public async Task AfterTheStreamIsRecreated_NewLikesOfTheSameUsers_ReachTimelinesAndPostgres(long firstUser, bool goneAWhile)
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        await using var persister = await Aggregators.StartPersisterAsync(fixture);
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var users = Enumerable.Range(0, 8).Select(i => firstUser + i).ToList();
        await publisher.PublishAsync(Enumerable.Range(0, 200).Select(i => publisher.Like(users[i % users.Count], 90_000 + i)));
        await Aggregators.CaughtUpAsync(publisher);
        await Aggregators.CaughtUpAsync(publisher, "persister");

        // Gone a while, the loops idle against a missing stream and consumer before it is provisioned again.
        await fixture.JetStream.DeleteStreamAsync(fixture.Stream.Name);
        if (goneAWhile)
        {
            await Task.Delay(GoneAWhile);
        }

        await StreamProvisioner.EnsureAsync(fixture.JetStream, fixture.Stream, fixture.Consumer, TextWriter.Null, CancellationToken.None);
        var after = users.Select(u => publisher.Like(u, 91_000 + u)).ToList();
        await publisher.PublishAsync(after);

        var timelines = new TimelineReader(fixture);
        foreach (var like in after)
        {
            await Eventually.UntilAsync(
                async () => (await timelines.LikesAsync(like.UserId)).Any(l => l.ContentId == like.ContentId),
                what: $"user {like.UserId}'s new like in the timeline");
            // The persister claims the new stream's partitions after its consumers are recreated: slow on a loaded machine.
            await Eventually.UntilAsync(
                () => RowExistsAsync(like.UserId, like.ContentId), TimeSpan.FromSeconds(60),
                what: $"user {like.UserId}'s new like in PostgreSQL");
        }
    }

    private async Task<bool> RowExistsAsync(long user, long content)
    {
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT count(*) FROM likes WHERE user_id = @user AND content_id = @content";
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("content", content);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
