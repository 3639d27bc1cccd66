using System.Diagnostics;
using Likes.Fixtures;
using Likes.Shared.Partitioning;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// A worker gone while holding a whole batch unacked (it fetched a full batch and died): the next owner applies
/// the held batch and goes on at once, without waiting for JetStream to redeliver it after AckWait. Found by the
/// fault suite: with MaxAckPending equal to the batch size the held batch left no room, and the next owner's fetch
/// hung until the held events timed out.
/// </summary>
public class CrashWithFullBatchTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private const int BatchSize = 20;

    private static readonly TimeSpan AckWait = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Consumer:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consumer:AckWait"] = AckWait.ToString(),
    };

    [Fact]
    public async Task AFullBatchHeldByAGoneOwner_IsAppliedAndTheNextOwnerGoesOn_WellBeforeAckWait()
    {
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var partition = Partitioner.PartitionOf(1, fixture.Stream.Partitions);
        var users = Enumerable.Range(1, 10_000).Where(u => Partitioner.PartitionOf(u, fixture.Stream.Partitions) == partition).Take(3 * BatchSize).ToList();
        var durable = $"aggregator-p{partition}";

        await publisher.PublishAsync(users.Take(2 * BatchSize).Select(u => publisher.Like(u, 7)));
        // The gone owner: it fetched a whole batch and never acked it.
        var consumer = await fixture.JetStream.GetConsumerAsync(fixture.Stream.Name, durable);
        var held = 0;
        await foreach (var _ in consumer.FetchAsync<byte[]>(new NATS.Client.JetStream.NatsJSFetchOpts { MaxMsgs = BatchSize, Expires = TimeSpan.FromSeconds(5) }))
        {
            held++;
        }

        Assert.Equal(BatchSize, held);

        await publisher.PublishAsync(users.Skip(2 * BatchSize).Select(u => publisher.Like(u, 7)));
        // Applied, not acked: the held events are acked only when the server redelivers them after AckWait.
        var clock = Stopwatch.StartNew();
        var reader = new TimelineReader(fixture);
        await using (await Aggregators.StartAsync(fixture, _settings))
        {
            await Eventually.UntilAsync(
                async () => (await Task.WhenAll(users.Select(u => reader.ScoreAsync(u, 7)))).Count(s => s is not null),
                n => n == users.Count, AckWait / 3, "every like applied");
        }

        Assert.True(clock.Elapsed < AckWait / 3, $"applied after {clock.Elapsed.TotalSeconds:F0} s");
    }
}
