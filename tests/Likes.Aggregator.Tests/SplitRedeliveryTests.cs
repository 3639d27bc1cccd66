using Likes.Fixtures;
using Likes.Shared.Partitioning;
using NATS.Client.JetStream;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// A gone owner held events it fetched at two moments, so JetStream redelivers them at two moments (AckWait after
/// each). A fetch between the two gets the first redeliveries followed by new events, with the other held events
/// between them in the stream: those must be applied before the new ones, not passed over and acked later.
/// </summary>
public class SplitRedeliveryTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task HeldEventsRedeliveredInTwoParts_NewEventsAfterTheFirstPart_NothingIsPassedOver()
    {
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var partition = Partitioner.PartitionOf(1, fixture.Stream.Partitions);
        var users = Enumerable.Range(1, 10_000).Where(u => Partitioner.PartitionOf(u, fixture.Stream.Partitions) == partition).Take(8).ToList();
        var ackWait = fixture.Consumer.AckWait;

        await publisher.PublishAsync(users.Take(5).Select(u => publisher.Like(u, 7)));
        // The gone owner: it fetched the first event, then, a while later, the next four, and acked none of them.
        var consumer = await fixture.JetStream.GetConsumerAsync(fixture.Stream.Name, $"aggregator-p{partition}");
        var first = await HoldAsync(consumer, 1);
        await Task.Delay(ackWait / 2);
        await HoldAsync(consumer, 4);
        await publisher.PublishAsync(users.Skip(5).Select(u => publisher.Like(u, 7)));

        // The next owner starts after the first event's AckWait and well before the other four's.
        var wait = first + ackWait + TimeSpan.FromMilliseconds(300) - DateTimeOffset.UtcNow;
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var reader = new TimelineReader(fixture);
        await using (await Aggregators.StartAsync(fixture))
        {
            // Past the second redelivery and the idle check after it: a like passed over by then stays missing.
            await Eventually.UntilAsync(
                async () => (await Task.WhenAll(users.Select(u => reader.ScoreAsync(u, 7)))).Count(s => s is not null),
                n => n == users.Count, ackWait * 2, "every like applied");
        }
    }

    /// <summary>Fetches and never acks: the time of the fetch.</summary>
    private static async Task<DateTimeOffset> HoldAsync(INatsJSConsumer consumer, int count)
    {
        var at = DateTimeOffset.UtcNow;
        var held = 0;
        await foreach (var _ in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = count, Expires = TimeSpan.FromSeconds(5) }))
        {
            held++;
        }

        Assert.Equal(count, held);
        return at;
    }
}
