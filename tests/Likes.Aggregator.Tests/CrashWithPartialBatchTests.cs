using Likes.Fixtures;
using Likes.Shared.Events;
using Likes.Shared.Partitioning;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// A worker killed while holding fewer events than MaxAckPending: JetStream delivers newer events of the
/// partition to the next owner before it redelivers the held ones, and the ack-all of those newer events
/// would ack the held ones unapplied. The held events must be applied, and before the newer ones.
/// </summary>
public class CrashWithPartialBatchTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private readonly EventPublisher _publisher = new(fixture.JetStream, fixture.Stream);
    private readonly TimelineReader _reader = new(fixture);

    [Fact]
    public async Task KilledHoldingAPartialBatch_TheHeldLikeIsNotLost_WhenNewerEventsFollow()
    {
        const long user = 901;
        var other = SamePartitionAs(user, 1_000);
        var held = _publisher.Like(user, 1);
        var newer = new[] { _publisher.Like(user, 2), _publisher.Like(other, 1) };

        await KillHoldingAsync(held, newer);

        Assert.Equal([(1L, held.AcceptedAtMs), (2L, newer[0].AcceptedAtMs)], await _reader.LikesAsync(user));
        Assert.NotNull(await _reader.ScoreAsync(other, 1));
    }

    [Fact]
    public async Task KilledHoldingAPartialBatch_TheHeldLikeIsAppliedBeforeTheNewerUnlike()
    {
        const long user = 911;
        var other = SamePartitionAs(user, 2_000);
        var held = _publisher.Like(user, 1);
        var newer = new[] { _publisher.Unlike(user, 1), _publisher.Like(user, 2), _publisher.Like(other, 1) };

        await KillHoldingAsync(held, newer);

        Assert.Equal([(2L, newer[1].AcceptedAtMs)], await _reader.LikesAsync(user));
    }

    /// <summary>
    /// Publishes <paramref name="held"/> to an aggregator whose long batch window keeps it delivered but
    /// unapplied, SIGKILLs it there, publishes <paramref name="newer"/> on the same partition, and lets a
    /// fresh aggregator catch up.
    /// </summary>
    private async Task KillHoldingAsync(LikeEvent held, IReadOnlyList<LikeEvent> newer)
    {
        var durable = $"aggregator-p{Partitioner.PartitionOf(held.UserId, fixture.Stream.Partitions)}";
        // The event must reach a fetch that is waiting for it (then the batch window holds it); one already waiting
        // when the loop fetches is applied at once. A long idle fetch keeps the loop in that wait.
        var process = Aggregators.StartProcess(fixture, new Dictionary<string, string?> { ["Consumer:BatchWindow"] = "00:00:05", ["Consumer:IdleFetch"] = "00:01:00" });
        try
        {
            await Eventually.UntilAsync(async () => (await fixture.JetStream.GetConsumerAsync(fixture.Stream.Name, durable)).Info.NumWaiting,
                n => n >= 1, TimeSpan.FromSeconds(60), "the aggregator waiting for the partition's next event");
            await _publisher.PublishAsync(held);
            await Eventually.UntilAsync(async () => (await fixture.JetStream.GetConsumerAsync(fixture.Stream.Name, durable)).Info.NumAckPending,
                // A cold process start (JIT, connections, consumers) on a machine busy with other test assemblies.
                n => n == 1, TimeSpan.FromSeconds(60), "event delivered and held");
            await process.KillAsync();
            await process.DisposeAsync();

            await _publisher.PublishAsync(newer);
            process = Aggregators.StartProcess(fixture);
            await Aggregators.CaughtUpAsync(_publisher, timeout: TimeSpan.FromSeconds(60));
        }
        finally
        {
            await process.DisposeAsync();
        }
    }

    private long SamePartitionAs(long user, long from)
        => Enumerable.Range(0, 1_000).Select(i => from + i)
            .First(u => Partitioner.PartitionOf(u, fixture.Stream.Partitions) == Partitioner.PartitionOf(user, fixture.Stream.Partitions));
}
