using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Persister.Tests;

/// <summary>
/// A count row's version orders the counter writes to Redis, where the ghost value ("nobody liked it") is
/// version 0. A row created by an unlike (its likes were there without a count row: drift the reconciler will
/// repair) must still start at version 1 or more, or no counter of it could ever replace a ghost.
/// </summary>
public sealed class CountRowVersionTests(StackFixture stack) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task ACountRowCreatedByAnUnlike_StartsAtAPositiveVersion_AndItsCounterIsReadable()
    {
        const long content = 4400;
        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            await c.ExecuteAsync("INSERT INTO likes VALUES (1, @content, now()), (2, @content, now())", new { content });
        }

        await using var persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), stack.Configuration());
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        await events.PublishAsync(events.Unlike(1, content));
        await Eventually.UntilAsync(() => TruthQueries.RowsAsync(stack.Postgres, content), n => n == 1, what: "the unlike applied");
        await Eventually.UntilAsync(async () => await events.PendingAsync("persister"), n => n == 0, what: "persister caught up");

        await using var read = await stack.Postgres.OpenConnectionAsync();
        var version = await read.ExecuteScalarAsync<long>("SELECT version FROM content_like_counts WHERE content_id = @content", new { content });
        Assert.True(version >= 1, $"the count row starts at version {version}");
        var keys = new RedisKeys(stack.KeyPrefix);
        var counter = await CounterStore.Read(stack.Redis.GetDatabase(), keys, content);
        Assert.True(CounterValue.TryParse(counter, out var value) && value.Version == version, $"Redis holds '{counter}' for version {version}");
    }
}
