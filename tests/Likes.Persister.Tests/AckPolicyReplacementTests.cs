using Likes.Admin;
using Likes.Fixtures;
using Likes.Shared.Streams;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Xunit;

namespace Likes.Persister.Tests;

/// <summary>
/// Consumers provisioned with ack-all cannot be updated to explicit acks: provisioning replaces them. On an interest
/// stream an event nobody else still wants is dropped when its last interested consumer goes, so the replacement
/// must keep every event the old consumer had not acked.
/// </summary>
public sealed class AckPolicyReplacementTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private const string Worker = "persister";

    [Fact]
    public async Task AnAckAllConsumer_IsReplaced_WithoutDroppingWhatItHadNotAcked()
    {
        var js = fixture.JetStream;
        var stream = fixture.Stream;
        for (var p = 0; p < stream.Partitions; p++)
        {
            var config = LikesTopology.EventConsumer(stream, fixture.Consumer, Worker, p);
            await js.DeleteConsumerAsync(stream.Name, config.Name!);
            await js.CreateOrUpdateConsumerAsync(stream.Name, config with { AckPolicy = ConsumerConfigAckPolicy.All });
        }

        var publisher = new EventPublisher(js, stream);
        await publisher.PublishAsync(Enumerable.Range(0, 64).Select(i => publisher.Like(7_000 + i, 70_000 + i)));

        // The old persister applied and acked (ack-all) the first half of each partition; the aggregator everything.
        var unacked = new HashSet<ulong>();
        for (var p = 0; p < stream.Partitions; p++)
        {
            var delivered = await TakeAllAsync(js, stream.Name, $"{Worker}-p{p}");
            var half = delivered.Count / 2;
            if (half > 0)
            {
                await delivered[half - 1].AckAsync();
            }

            unacked.UnionWith(delivered.Skip(half).Select(m => m.Metadata!.Value.Sequence.Stream));
            foreach (var m in await TakeAllAsync(js, stream.Name, $"aggregator-p{p}"))
            {
                await m.AckAsync();
            }
        }

        Assert.NotEmpty(unacked);
        await StreamProvisioner.EnsureAsync(js, stream, fixture.Consumer, TextWriter.Null, CancellationToken.None);

        var redelivered = new HashSet<ulong>();
        for (var p = 0; p < stream.Partitions; p++)
        {
            var consumer = await js.GetConsumerAsync(stream.Name, $"{Worker}-p{p}");
            Assert.Equal(ConsumerConfigAckPolicy.Explicit, consumer.Info.Config.AckPolicy);
            redelivered.UnionWith((await TakeAllAsync(js, stream.Name, $"{Worker}-p{p}")).Select(m => m.Metadata!.Value.Sequence.Stream));
        }

        Assert.Subset(redelivered, unacked);
        var names = new List<string>();
        await foreach (var name in js.ListConsumerNamesAsync(stream.Name))
        {
            names.Add(name);
        }

        Assert.DoesNotContain(names, n => n.EndsWith("-bridge", StringComparison.Ordinal));
    }

    private static async Task<List<INatsJSMsg<byte[]>>> TakeAllAsync(INatsJSContext js, string stream, string durable)
    {
        var consumer = await js.GetConsumerAsync(stream, durable);
        var taken = new List<INatsJSMsg<byte[]>>();
        await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1000, Expires = TimeSpan.FromSeconds(1) }))
        {
            taken.Add(msg);
        }

        return taken;
    }
}
