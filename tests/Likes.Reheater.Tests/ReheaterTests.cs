extern alias aggregator;
extern alias persister;
using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Reheating;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Xunit;
using static aggregator::Likes.Aggregator.AggregatorRegistration;
using static persister::Likes.Persister.PersisterRegistration;

namespace Likes.Reheater.Tests;

public class ReheaterTests(StackFixture stack) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private const int Size = ReheaterStack.Size;
    private readonly ReheaterStack _stack = new(stack);
    private RedisKeys _keys = null!;

    public async Task InitializeAsync()
    {
        await _stack.StartAsync();
        _keys = _stack.Keys;
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private IDatabase Redis => _stack.Redis;

    private Dictionary<string, string?> Configuration() => _stack.Configuration();

    private Task SeedAsync(long user, int likes, long firstContent) => _stack.SeedAsync(user, likes, firstContent);

    private Task<List<long>> TimelineAsync(long user) => _stack.TimelineAsync(user);

    private Task<TimelineState> StateAsync(long user) => _stack.StateAsync(user);

    [Fact]
    public async Task ARequestedRebuild_LoadsEveryLikeOfALightUser_AsComplete()
    {
        await SeedAsync(1, 7, 100);
        await new ReheatRequests(stack.Nats, Microsoft.Extensions.Options.Options.Create(stack.Stream), NullLogger<ReheatRequests>.Instance).RequestAsync(new ReheatRequest(1), "test");

        await Eventually.UntilAsync(async () => await StateAsync(1) == TimelineState.Complete, what: "timeline rebuilt");
        Assert.Equal(Enumerable.Range(100, 7).Select(i => (long)i).Reverse(), await TimelineAsync(1));
    }

    [Fact]
    public async Task AHeavyUser_GetsTheNewestN_AsTruncated()
    {
        await SeedAsync(2, Size + 30, 200);
        var outcome = await _stack.Rebuilder.RebuildAsync(new ReheatRequest(2), CancellationToken.None);

        Assert.Equal(RebuildOutcome.Rebuilt, outcome);
        Assert.Equal(TimelineState.Truncated, await StateAsync(2));
        Assert.Equal(Enumerable.Range(200 + 30, Size).Select(i => (long)i).Reverse(), await TimelineAsync(2));
    }

    [Fact]
    public async Task ATimelineHoldingEventsPostgresHasNotSeen_IsNotOverwritten()
    {
        await SeedAsync(3, 2, 300);
        // The aggregator applied through sequence 50; PostgreSQL's position for the partition is still 0.
        await Redis.SortedSetAddAsync(_keys.Timeline(3), [Sentinel(new TimelineSentinel(0, 50, TimelineState.Partial)), new("999", 1)]);

        var outcome = await _stack.Rebuilder.RebuildAsync(new ReheatRequest(3), CancellationToken.None);

        Assert.Equal(RebuildOutcome.StillBehind, outcome);
        Assert.Equal([999L], await TimelineAsync(3));
    }

    private static SortedSetEntry Sentinel(TimelineSentinel s) => new(s.Member, s.Score);

    [Fact]
    public async Task OneRebuildPerUserAtATime()
    {
        await SeedAsync(4, 3, 400);
        await Redis.StringSetAsync(_keys.RebuildLock(4), "another-replica", TimeSpan.FromSeconds(30));

        var outcome = await _stack.Rebuilder.RebuildAsync(new ReheatRequest(4), CancellationToken.None);

        Assert.Equal(RebuildOutcome.Busy, outcome);
        Assert.Equal(TimelineState.Missing, await StateAsync(4));
    }

    [Fact]
    public async Task RebuildsInterleavedWithTheAggregator_NeverLoseALike_FromTimelineOrFilter()
    {
        const long user = 5;
        var config = Configuration();
        await using var aggregatorHost = await DaemonHost.StartAsync("aggregator", b => b.AddAggregator(), config);
        await using var persisterHost = await DaemonHost.StartAsync("persister", b => b.AddPersister(), config);
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        var rebuilder = _stack.Rebuilder;

        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                await events.PublishAsync(i % 4 == 3 ? events.Unlike(user, 500 + i - 1) : events.Like(user, 500 + i));
            }
        });
        for (var round = 0; !publishing.IsCompleted; round++)
        {
            // Every other round the filter goes too: whatever survives must still hold every like.
            await Redis.KeyDeleteAsync(round % 2 == 0 ? [_keys.Timeline(user)] : [_keys.Timeline(user), _keys.Bloom(user)]);
            await rebuilder.RebuildAsync(new ReheatRequest(user), CancellationToken.None);
        }

        await publishing;
        await Eventually.UntilAsync(async () => await events.PendingAsync("aggregator") == 0 && await events.PendingAsync("persister") == 0, what: "caught up");
        // The reheater daemon may still hold the user's lock for a request of its own (Busy): wait until a rebuild finds the state whole.
        await Eventually.UntilAsync(
            () => rebuilder.RebuildAsync(new ReheatRequest(user), CancellationToken.None),
            outcome => outcome is RebuildOutcome.Rebuilt or RebuildOutcome.AlreadyWhole,
            what: "a rebuild that ends whole");

        await using var c = await stack.Postgres.OpenConnectionAsync();
        var truth = (await c.QueryAsync<long>("SELECT content_id FROM likes WHERE user_id = @user ORDER BY created_at DESC, content_id DESC LIMIT @Size", new { user, Size })).ToList();
        Assert.Equal(truth, await TimelineAsync(user));
        var filter = await _stack.FilterAsync(user);
        Assert.NotNull(filter);
        Assert.All(await _stack.LikesInPostgresAsync(user), content => Assert.True(filter.MightContain(content), $"filter misses {content}"));
    }
}
