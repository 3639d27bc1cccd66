using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Aggregator.Tests;

public class ConcurrentLikersTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task ThousandUsersLikingOneContentConcurrently_EveryTimelineHasItAndTheCountIsExact()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        await using var persister = await Aggregators.StartPersisterAsync(fixture);
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        const long content = 4242;
        var users = Enumerable.Range(1, 1000).Select(i => 10_000L + i).ToList();

        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (user, _) => await publisher.PublishAsync(publisher.Like(user, content)));
        await Aggregators.CaughtUpAsync(publisher);
        await Aggregators.CaughtUpAsync(publisher, "persister");

        var reader = new TimelineReader(fixture);
        var missing = new List<long>();
        foreach (var user in users)
        {
            if (await reader.ScoreAsync(user, content) is null)
            {
                missing.Add(user);
            }
        }

        Assert.Empty(missing);
        // Caught up means committed; a hot content's counter is then written within its pacing interval, within the
        // contract's second of the last like (Persister:CounterWriteInterval).
        var counter = await Eventually.UntilAsync(
            () => CounterStore.Read(fixture.Redis.GetDatabase(), reader.Keys, content),
            c => CounterValue.TryParse(c, out var v) && v.Count == 1000, TimeSpan.FromSeconds(1), $"counter of {content} at 1000");
        Assert.True(CounterValue.TryParse(counter, out var value), $"counter '{counter}' is not count:version");
        Assert.Equal(1000, value.Count);
        await using var count = fixture.Postgres.CreateCommand($"SELECT like_count FROM content_like_counts WHERE content_id = {content}");
        Assert.Equal(1000L, await count.ExecuteScalarAsync());
    }
}
