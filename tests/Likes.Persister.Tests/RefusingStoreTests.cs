using Dapper;
using Likes.Fixtures;
using Xunit;

namespace Likes.Persister.Tests;

/// <summary>
/// A store that refuses for configuration reasons (a deploy that runs before its migration: a column the
/// statements name is not there yet) is an outage of the store, not a fault of the events: the persister waits
/// it out without acking, dead-letters nothing, and writes every like once the schema is right.
/// </summary>
public sealed class RefusingStoreTests(StackFixture stack) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task AMissingColumn_IsWaitedOut_NoLikeIsDeadLettered_AndAllArePersistedAfterTheMigration()
    {
        var configuration = stack.Configuration();
        configuration["Consumer:MaxDeliver"] = "2";
        configuration["Consumer:BackoffMax"] = "00:00:00.100";
        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            await c.ExecuteAsync("ALTER TABLE content_like_counts RENAME COLUMN touched_at TO touched_at_next");
        }

        await using var persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), configuration);
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        var likes = Enumerable.Range(0, 20).Select(i => events.Like(100 + i, 700)).ToList();
        await events.PublishAsync(likes);

        // Long enough for several times MaxDeliver attempts at every event.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0UL, await stack.DeadLetterCountAsync());
        Assert.Equal(0, await TruthQueries.RowsAsync(stack.Postgres, 700));

        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            await c.ExecuteAsync("ALTER TABLE content_like_counts RENAME COLUMN touched_at_next TO touched_at");
        }

        await Eventually.UntilAsync(() => TruthQueries.RowsAsync(stack.Postgres, 700), n => n == likes.Count, what: "every like persisted after the migration");
        Assert.Equal(likes.Count, await TruthQueries.StoredCountAsync(stack.Postgres, 700));
        Assert.Equal(0UL, await stack.DeadLetterCountAsync());
    }
}
