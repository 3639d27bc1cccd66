using Likes.Fixtures;
using StackExchange.Redis;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// Redis refusing the aggregator's scripts (an ACL without the rights, NOPERM) is a misconfiguration to wait out:
/// nothing is acked or dead-lettered meanwhile, and every like lands once the rights are back.
/// </summary>
public sealed class RefusingRedisTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task ScriptsRefusedByTheAcl_AreWaitedOut_NothingIsDeadLettered_AndEveryLikeLandsOnceGranted()
    {
        var user = "aggregator_" + fixture.Id;
        var password = Guid.NewGuid().ToString("N");
        var admin = fixture.Redis.GetDatabase();
        await admin.ExecuteAsync("ACL", "SETUSER", user, "reset", "on", ">" + password, "~" + fixture.KeyPrefix + "*", "resetchannels", "+@all", "-@scripting");
        try
        {
            var endpoint = (System.Net.IPEndPoint)fixture.Redis.GetEndPoints()[0];
            var overrides = new Dictionary<string, string?>
            {
                ["Redis:Configuration"] = $"{endpoint.Address}:{endpoint.Port},user={user},password={password}",
                ["Consumer:MaxDeliver"] = "2",
                ["Consumer:BackoffMax"] = "00:00:00.100",
            };
            await using var aggregator = await Aggregators.StartAsync(fixture, overrides);
            var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
            var likes = Enumerable.Range(1, 10).Select(i => publisher.Like(800 + i, 8000 + i)).ToList();
            await publisher.PublishAsync(likes);

            // Long enough for several times MaxDeliver attempts at every event.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(0UL, await fixture.DeadLetterCountAsync());

            await admin.ExecuteAsync("ACL", "SETUSER", user, "+@scripting");
            await Aggregators.CaughtUpAsync(publisher);

            var timelines = new TimelineReader(fixture);
            foreach (var like in likes)
            {
                Assert.Equal([(like.ContentId, like.AcceptedAtMs)], await timelines.LikesAsync(like.UserId));
            }

            Assert.Equal(0UL, await fixture.DeadLetterCountAsync());
        }
        finally
        {
            await admin.ExecuteAsync("ACL", "DELUSER", user);
        }
    }
}
