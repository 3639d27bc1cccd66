using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Events;
using Xunit;

namespace Likes.Aggregator.Tests;

public class OrderUnderStormTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task LikeUnlikeStorm_OnFewContents_LeavesExactlyThePairsWhoseLastEventIsALike()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var model = new TimelineModel();
        long[] users = [101, 102, 103, 104, 105, 106, 107, 108];
        long[] contents = [7, 8, 9];
        const int eventsPerUser = 250;

        // One lane per user keeps each user's publish order, which is the order the model applies;
        // the lanes race each other, so batches mix users and partitions.
        await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            var random = new Random((int)user);
            var liked = new HashSet<long>();
            for (var i = 0; i < eventsPerUser; i++)
            {
                // Alternating per pair: the next event of a pair is always the opposite of its last.
                var content = contents[random.Next(contents.Length)];
                var e = liked.Add(content) ? publisher.Like(user, content) : publisher.Unlike(user, content);
                if (e.Action == LikeAction.Unlike)
                {
                    liked.Remove(content);
                }

                await publisher.PublishAsync(e);
                model.Apply(e);
            }
        })));

        await Aggregators.CaughtUpAsync(publisher);

        var reader = new TimelineReader(fixture);
        foreach (var user in users)
        {
            foreach (var content in contents)
            {
                var expected = model.Expected(user).Any(x => x.ContentId == content);
                Assert.True(expected == (await reader.ScoreAsync(user, content) is not null),
                    $"user {user} content {content}: expected liked={expected}");
            }
        }

        await reader.AssertHoldsAsync(model);
        foreach (var user in users)
        {
            Assert.Equal(model.Expected(user).Count + 1, await reader.CardinalityAsync(user));
            Assert.Equal(TimelineState.Partial, await reader.StateAsync(user));
        }
    }
}
