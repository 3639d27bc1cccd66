using Dapper;
using Likes.Fixtures;
using Likes.Shared.Consuming;
using Likes.Shared.Partitioning;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Persister.Tests;

/// <summary>
/// A persister paused in the middle of a transaction past its lease: another replica takes the partition and applies
/// newer events, then the paused one's transaction goes on. The store's fence (a partition's position moves only from
/// where its writer stood) refuses whichever of the two writes comes second from a stale position, so no event is
/// applied out of order whoever holds the lease by then.
/// </summary>
public sealed class FencingTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task APersisterPausedMidTransaction_PastItsLease_NeverAppliesOverItsSuccessor()
    {
        const long z = 77_001, c = 77_002;
        var partitions = stack.Stream.Partitions;
        var (u1, u2) = SamePartition(partitions);
        var configuration = stack.Configuration();
        configuration["Consumer:BatchWindow"] = "00:00:00.200";
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        await using var first = DaemonProcess.Start("Likes.Persister", configuration, DaemonProcess.FreePort());
        await events.PublishAsync(events.Like(u1 + 1_000_000, z));
        await Eventually.UntilAsync(async () => await TruthQueries.StoredCountAsync(stack.Postgres, z) == 1, TimeSpan.FromSeconds(60), "the first persister applying");

        // Z's count row held by someone else: the first persister's next transaction waits on it, its rows inserted.
        await using var blocker = await stack.Postgres.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("SELECT 1 FROM content_like_counts WHERE content_id = @z FOR UPDATE", new { z }, hold);
        await events.PublishAsync([events.Like(u1, z), events.Like(u2, c)]);
        await Eventually.UntilAsync(() => WaitingAsync(1), TimeSpan.FromSeconds(60), "the first persister's transaction waiting");

        // Paused past its lease; a second persister takes the partition, and an unlike of (u2, c) follows the like.
        await first.PauseAsync();
        await using var second = DaemonProcess.Start("Likes.Persister", configuration, DaemonProcess.FreePort());
        await events.PublishAsync(events.Unlike(u2, c));
        await Eventually.UntilAsync(() => WaitingAsync(2), TimeSpan.FromSeconds(60), "the second persister's transaction waiting on the first's rows");

        await hold.RollbackAsync();
        await first.ResumeAsync();
        await Eventually.UntilAsync(async () => await PersistedThroughAsync(Partitioner.PartitionOf(u2, partitions)), TimeSpan.FromSeconds(60), "the partition persisted to its last event");

        var pairs = await TruthQueries.LikedPairsAsync(stack.Postgres);
        output.WriteLine($"fenced: {Fenced(first.Output)} in the paused persister, {Fenced(second.Output)} in its successor");
        Assert.Contains((u1, z), pairs);
        Assert.DoesNotContain((u2, c), pairs);
        Assert.Equal(0, await TruthQueries.CountDriftAsync(stack.Postgres));
        Assert.True(Fenced(first.Output) + Fenced(second.Output) > 0, "neither write was fenced: the two transactions never met");
    }

    private static (long, long) SamePartition(int partitions)
    {
        var users = Enumerable.Range(1, 100).Select(i => 770_000L + i).ToList();
        var u1 = users[0];
        return (u1, users.First(u => u != u1 && Partitioner.PartitionOf(u, partitions) == Partitioner.PartitionOf(u1, partitions)));
    }

    private async Task<bool> WaitingAsync(int backends)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") >= backends;
    }

    private async Task<bool> PersistedThroughAsync(int partition)
    {
        var last = await new PartitionStream(stack.JetStream, stack.Stream, partition).LastAsync(CancellationToken.None);
        await using var c = await stack.Postgres.OpenConnectionAsync();
        var position = await c.ExecuteScalarAsync<long?>("SELECT sequence FROM stream_positions WHERE consumer = 'persister' AND partition = @partition", new { partition }) ?? 0;
        return last is { } e && position >= (long)e.Sequence;
    }

    /// <summary>Batches the store refused as fenced, from the process's log (its metrics are unreachable while it is paused).</summary>
    private static int Fenced(string log) => log.Split('\n').Count(l => l.Contains("applied it further", StringComparison.Ordinal));
}
