using Likes.Fixtures;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// A daemon told to stop (SIGTERM, a rolling update) fetches nothing more but finishes the batch in hand:
/// applied and acked before it exits, so nothing waits out AckWait for its redelivery.
/// </summary>
public sealed class ShutdownTests(StackFixture fixture) : IClassFixture<StackFixture>
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

        // Redis holds every write until SIGTERM has come: the batches below are in hand, being applied, when it does.
        // The pause has a limit of its own only so that a failed test cannot leave Redis paused.
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.AdminRedis + ",allowAdmin=true");
        var likes = Enumerable.Range(1, 10).Select(i => publisher.Like(40_000 + i, 4)).ToList();
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
