extern alias aggregator;
extern alias persister;
using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Partitioning;
using Likes.Shared.Reheating;
using Xunit;
using static aggregator::Likes.Aggregator.AggregatorRegistration;
using static persister::Likes.Persister.PersisterRegistration;

namespace Likes.Reheater.Tests;

/// <summary>
/// The aggregator applies and acks a like before the persister has written it. A timeline evicted then and
/// rebuilt from PostgreSQL must not come back "complete" (or with a filter) without that like: the aggregator
/// will never apply it again, and absence from a complete timeline is a definite "not liked".
/// </summary>
public sealed class PersisterLagTests(StackFixture stack) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private const int Size = ReheaterStack.Size;

    private const string WaitingOnTheLikesTable = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'likes'::regclass";
    private readonly ReheaterStack _stack = new(stack);

    public Task InitializeAsync() => _stack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task ALightUsersTimeline_RebuiltWhileThePersisterLags_NeverCompleteWithoutTheAggregatorsLike()
    {
        const long user = 11;
        await _stack.SeedAsync(user, 3, 1100);
        await AssertRebuildKeepsTheAggregatorsLikeAsync(user, content: 1190);
    }

    [Fact]
    public async Task AHeavyUsersFilter_RebuiltWhileThePersisterLags_NeverMissesTheAggregatorsLike()
    {
        const long user = 12;
        await _stack.SeedAsync(user, Size + 20, 1200);
        await AssertRebuildKeepsTheAggregatorsLikeAsync(user, content: 1290, evictFilter: true);
    }

    [Fact]
    public async Task APartialTimeline_WhosePastPostgresHas_IsRebuiltCompleteAtOnce_WhileThePersisterLagsOnOthers()
    {
        const long user = 13;
        var other = Enumerable.Range(1000, 1000).First(u => Partitioner.PartitionOf(u, stack.Stream.Partitions) == Partitioner.PartitionOf(user, stack.Stream.Partitions));
        var config = _stack.Configuration();
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        await using var aggregatorHost = await DaemonHost.StartAsync("aggregator", b => b.AddAggregator(), config);
        await using (var persisterHost = await DaemonHost.StartAsync("persister", b => b.AddPersister(), config))
        {
            await events.PublishAsync(events.Like(user, 1390));
            await Eventually.UntilAsync(
                async () => await events.PendingAsync("persister") + await events.PendingAsync("aggregator"), n => n == 0,
                what: "both workers have the user's like");
        }

        // The persister stops; another user of the same partition likes on. The stream's reach is past PostgreSQL's,
        // but nothing this user's timeline reflects is (had the aggregator applied both likes in one batch, the
        // timeline's sentinel would be the other like's sequence, and a rebuild would rightly wait for PostgreSQL).
        await events.PublishAsync(events.Like(other, 1391));
        await Eventually.UntilAsync(async () => await events.PendingAsync("aggregator"), n => n == 0, what: "the aggregator applied the other like");
        Assert.Equal(TimelineState.Partial, await _stack.StateAsync(user));

        var outcome = await _stack.Rebuilder.RebuildAsync(new ReheatRequest(user), CancellationToken.None);

        Assert.Equal(RebuildOutcome.Rebuilt, outcome);
        Assert.Equal(TimelineState.Complete, await _stack.StateAsync(user));
        Assert.Equal([1390L], await _stack.TimelineAsync(user));
    }

    [Fact]
    public async Task ATimelineAppliedAndEvictedAgainDuringARebuild_NeverComesBackCompleteWithoutThatLike()
    {
        const long user = 14;
        var other = Enumerable.Range(1000, 1000).First(u => Partitioner.PartitionOf(u, stack.Stream.Partitions) == Partitioner.PartitionOf(user, stack.Stream.Partitions));
        var config = _stack.Configuration();
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        await using var aggregatorHost = await DaemonHost.StartAsync("aggregator", b => b.AddAggregator(), config);
        await using (var persisterHost = await DaemonHost.StartAsync("persister", b => b.AddPersister(), config))
        {
            await events.PublishAsync(events.Like(other, 1490));
            await Eventually.UntilAsync(async () => await events.PendingAsync("persister"), n => n == 0, what: "the persister has the partition's last event");
        }

        // PostgreSQL covers the partition: a rebuild of the user's missing timeline may install a complete one. Its
        // snapshot is held up on the likes table while the aggregator applies the user's like, starting a timeline,
        // and that timeline is evicted again.
        await using var blocker = await stack.Postgres.OpenConnectionAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE likes IN ACCESS EXCLUSIVE MODE", transaction: tx);
        var rebuild = Task.Run(() => _stack.Rebuilder.RebuildAsync(new ReheatRequest(user), CancellationToken.None));
        await Eventually.UntilAsync(() => blocker.ExecuteScalarAsync<long>(WaitingOnTheLikesTable), n => n > 0, what: "the rebuild's snapshot waits on the likes table");
        await events.PublishAsync(events.Like(user, 1491));
        await Eventually.UntilAsync(async () => await events.PendingAsync("aggregator"), n => n == 0, what: "the aggregator applied the user's like");
        await _stack.Redis.KeyDeleteAsync(_stack.Keys.Timeline(user));
        await tx.RollbackAsync();

        await AssertTimelineKnowsAsync(user, 1491, await rebuild);
    }

    private async Task AssertRebuildKeepsTheAggregatorsLikeAsync(long user, long content, bool evictFilter = false)
    {
        var config = _stack.Configuration();
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        await using (var aggregatorHost = await DaemonHost.StartAsync("aggregator", b => b.AddAggregator(), config))
        {
            await events.PublishAsync(events.Like(user, content));
            await Eventually.UntilAsync(async () => await events.PendingAsync("aggregator"), n => n == 0, what: "the aggregator applied and acked the like");
        }

        // The timeline (and filter) evicted while PostgreSQL does not have the like yet; a read asks for a rebuild.
        await _stack.Redis.KeyDeleteAsync(evictFilter ? [_stack.Keys.Timeline(user), _stack.Keys.Bloom(user)] : [_stack.Keys.Timeline(user)]);
        var outcome = await _stack.Rebuilder.RebuildAsync(new ReheatRequest(user), CancellationToken.None);
        await AssertTimelineKnowsAsync(user, content, outcome);

        // Once the persister caught up, a rebuild is whole and holds the like.
        await using var persisterHost = await DaemonHost.StartAsync("persister", b => b.AddPersister(), config);
        await Eventually.UntilAsync(async () => await events.PendingAsync("persister"), n => n == 0, what: "the persister caught up");
        await Eventually.UntilAsync(
            () => _stack.Rebuilder.RebuildAsync(new ReheatRequest(user), CancellationToken.None),
            o => o is RebuildOutcome.Rebuilt or RebuildOutcome.AlreadyWhole,
            what: "a rebuild that ends whole");
        await AssertTimelineKnowsAsync(user, content, RebuildOutcome.Rebuilt);
    }

    /// <summary>What Redis says of the like: liked, or "cannot tell" (missing, partial); never a definite "no".</summary>
    private async Task AssertTimelineKnowsAsync(long user, long content, RebuildOutcome outcome)
    {
        var state = await _stack.StateAsync(user);
        var inTimeline = (await _stack.TimelineAsync(user)).Contains(content);
        var filter = await _stack.FilterAsync(user);
        var definiteNo = state switch
        {
            TimelineState.Complete => !inTimeline,
            TimelineState.Truncated => !inTimeline && filter is not null && !filter.MightContain(content),
            _ => false,
        };
        Assert.False(definiteNo, $"after a rebuild ({outcome}) the {state} timeline answers 'not liked' for a like the aggregator applied");
    }
}
