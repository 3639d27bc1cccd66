using Likes.Fixtures;
using Likes.Shared.Partitioning;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// A daemon told to stop (SIGTERM, a rolling update) fetches nothing more but finishes the batch in hand:
/// applied and acked before it exits, so nothing waits out AckWait for its redelivery. Redis is the test's own: it is
/// paused for seconds, which would stall every other test on the shared server.
/// </summary>
public sealed class ShutdownTests(OwnRedisStack fixture) : IClassFixture<OwnRedisStack>
{
    [Fact]
    public async Task SigtermDuringABatch_FinishesApplyingAndAckingIt_BeforeExiting()
    {
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var port = DaemonProcess.FreePort();
        await using var process = DaemonProcess.Start("Likes.Aggregator", fixture.Configuration(), port);
        using (var http = new HttpClient())
        {
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    return (await http.GetAsync($"http://127.0.0.1:{port}/healthz/ready")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, what: "the aggregator ready");
        }

        // SIGTERM comes as soon as every event is delivered: each batch is then in its batch window or being applied,
        // and Redis holds every write until the signal has come. One like per partition: each is a whole batch of its
        // partition. The pause has a limit of its own only so that a failed test cannot leave Redis paused.
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.AdminRedis + ",allowAdmin=true");
        var likes = Enumerable.Range(0, fixture.Stream.Partitions)
            .Select(p => Enumerable.Range(40_000, 1_000).First(u => Partitioner.PartitionOf(u, fixture.Stream.Partitions) == p))
            .Select(user => publisher.Like(user, 4))
            .ToList();
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "30000", "WRITE");
        try
        {
            await publisher.PublishAsync(likes);
            await Eventually.UntilAsync(AckPendingAsync, n => n == (ulong)likes.Count, what: "the batch delivered, not yet acked");

            var terminating = process.TerminateAsync(TimeSpan.FromSeconds(20));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await admin.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");
            await terminating;
        }
        finally
        {
            await admin.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");
        }

        Assert.Equal(0UL, await AckPendingAsync());
        Assert.Equal(0UL, await publisher.PendingAsync("aggregator"));
        var timelines = new TimelineReader(fixture);
        foreach (var like in likes)
        {
            Assert.Equal([(like.ContentId, like.AcceptedAtMs)], await timelines.LikesAsync(like.UserId));
        }
    }

    private async Task<ulong> AckPendingAsync()
    {
        ulong pending = 0;
        for (var p = 0; p < fixture.Stream.Partitions; p++)
        {
            pending += (ulong)(await fixture.JetStream.GetConsumerAsync(fixture.Stream.Name, $"aggregator-p{p}")).Info.NumAckPending;
        }

        return pending;
    }
}
