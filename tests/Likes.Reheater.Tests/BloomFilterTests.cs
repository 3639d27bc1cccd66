extern alias aggregator;
extern alias persister;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Bloom;
using Likes.Shared.Reheating;
using StackExchange.Redis;
using Xunit;
using static aggregator::Likes.Aggregator.AggregatorRegistration;
using static persister::Likes.Persister.PersisterRegistration;

namespace Likes.Reheater.Tests;

/// <summary>The Bloom filters of heavy users: built by the reheater with the timeline, kept by the aggregator.</summary>
public class BloomFilterTests(StackFixture stack) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private const int Size = ReheaterStack.Size;
    private readonly ReheaterStack _stack = new(stack);

    public async Task InitializeAsync() => await _stack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private Task<RebuildOutcome> RebuildAsync(long user, bool refresh = false) => _stack.Rebuilder.RebuildAsync(new ReheatRequest(user, refresh), CancellationToken.None);

    [Fact]
    public async Task AHeavyUser_GetsAFilterOfEveryLike_SizedWithHeadroom_ExpiringWithTheTimeline()
    {
        const long user = 11;
        await _stack.SeedAsync(user, Size + 30, 1100);

        Assert.Equal(RebuildOutcome.Rebuilt, await RebuildAsync(user));

        var filter = await _stack.FilterAsync(user);
        Assert.NotNull(filter);
        Assert.Equal(BloomShape.For((Size + 30) * 2, 0.01), filter.Shape);
        Assert.Equal((uint)(Size + 30), filter.Inserted);
        Assert.All(Enumerable.Range(1100, Size + 30), c => Assert.True(filter.MightContain(c)));
        Assert.InRange(Enumerable.Range(5000, 1000).Count(c => filter.MightContain(c)), 0, 40);
        var timelineTtl = await _stack.Redis.KeyTimeToLiveAsync(_stack.Keys.Timeline(user));
        var filterTtl = await _stack.Redis.KeyTimeToLiveAsync(_stack.Keys.Bloom(user));
        Assert.NotNull(filterTtl);
        Assert.InRange(timelineTtl!.Value - filterTtl.Value, TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));
        Assert.Empty(await stack.Redis.KeysAsync(_stack.Keys.BloomStaging(user, "*")).ToListAsync());
    }

    [Fact]
    public async Task ALightUser_HasNoFilter_AndALeftoverOneIsDropped()
    {
        const long user = 12;
        await _stack.SeedAsync(user, Size, 1200);
        await _stack.Redis.StringSetAsync(_stack.Keys.Bloom(user), new BloomBitmap(BloomShape.For(100, 0.01)).ToBytes());

        Assert.Equal(RebuildOutcome.Rebuilt, await RebuildAsync(user));

        Assert.Equal(TimelineState.Complete, await _stack.StateAsync(user));
        Assert.False(await _stack.Redis.KeyExistsAsync(_stack.Keys.Bloom(user)));
    }

    [Fact]
    public async Task AWholeTruncatedTimeline_IsLeftAlone_ButAnOverfullFilterIsBuiltAgainBigger()
    {
        const long user = 13;
        await _stack.SeedAsync(user, Size + 5, 1300);
        await RebuildAsync(user);
        Assert.Equal(RebuildOutcome.AlreadyWhole, await RebuildAsync(user));

        // The user liked 50 more since: what the aggregator's count of inserted ids would say.
        await _stack.SeedAsync(user, 50, 1400);
        await _stack.Redis.ExecuteAsync("BITFIELD", _stack.Keys.Bloom(user), "INCRBY", "u32", 96, 50);

        Assert.Equal(RebuildOutcome.Rebuilt, await RebuildAsync(user));
        var filter = await _stack.FilterAsync(user);
        Assert.Equal(((uint)(Size + 55) * 2, (uint)(Size + 55)), (filter!.Shape.Capacity, filter.Inserted));
        Assert.All(Enumerable.Range(1400, 50), c => Assert.True(filter.MightContain(c)));
    }

    [Fact]
    public async Task ARefresh_RebuildsAWholeTimeline_AndKeepsAFilterThatFits()
    {
        const long user = 14;
        await _stack.SeedAsync(user, Size + 5, 1500);
        await RebuildAsync(user);
        var before = (byte[]?)await _stack.Redis.StringGetAsync(_stack.Keys.Bloom(user));
        // A like of an old relation that the aggregator put back with a new time: only PostgreSQL knows better.
        await _stack.Redis.SortedSetAddAsync(_stack.Keys.Timeline(user), 1500, 1_800_000_000_000);

        Assert.Equal(RebuildOutcome.Rebuilt, await RebuildAsync(user, refresh: true));

        Assert.Equal(Enumerable.Range(1505, Size).Select(c => (long)c).Reverse(), await _stack.TimelineAsync(user));
        Assert.Equal(before, (byte[]?)await _stack.Redis.StringGetAsync(_stack.Keys.Bloom(user)));
    }

    [Fact]
    public async Task TheAggregator_AsksForAFilterWhenItTruncatesATimeline_AndSetsTheBitsOfNewLikes()
    {
        const long user = 15;
        var config = _stack.Configuration();
        await using var aggregatorHost = await DaemonHost.StartAsync("aggregator", b => b.AddAggregator(), config);
        await using var persisterHost = await DaemonHost.StartAsync("persister", b => b.AddPersister(), config);
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        await _stack.SeedAsync(user, Size, 1600);
        await RebuildAsync(user);
        Assert.Null(await _stack.FilterAsync(user));

        // Past N: the aggregator trims the complete timeline to truncated and asks the reheater (running) for a filter.
        await events.PublishAsync(Enumerable.Range(1700, 5).Select(c => events.Like(user, c)));
        var built = await Eventually.UntilAsync(() => _stack.FilterAsync(user), f => f is not null, what: "filter built");
        Assert.Equal(TimelineState.Truncated, await _stack.StateAsync(user));
        Assert.All(Enumerable.Range(1600, Size).Concat(Enumerable.Range(1700, 5)), c => Assert.True(built!.MightContain(c)));

        await events.PublishAsync(Enumerable.Range(1800, 3).Select(c => events.Like(user, c)));
        var kept = await Eventually.UntilAsync(() => _stack.FilterAsync(user), f => f!.Inserted == built!.Inserted + 3, what: "new likes in the filter");
        Assert.All(Enumerable.Range(1800, 3), c => Assert.True(kept!.MightContain(c)));
    }

    [Fact]
    public async Task AnEvictedStagedFilter_FailsTheSwapBeforeAnythingIsWritten()
    {
        const long user = 16;
        var timelines = new TimelineStore(stack.Redis, _stack.Keys, Microsoft.Extensions.Options.Options.Create(new Likes.Shared.Configuration.TimelineOptions { Size = Size }));
        await _stack.Redis.SortedSetAddAsync(_stack.Keys.Timeline(user), [new SortedSetEntry(new TimelineSentinel(0, 0, TimelineState.Partial).Member, new TimelineSentinel(0, 0, TimelineState.Partial).Score), new SortedSetEntry("7", 1)]);

        Assert.False(await timelines.ReplaceAsync(user, default, TimelineState.Truncated, [(8, 2)], FilterChange.Swap, "a-rebuild"));
        Assert.Equal([7L], await _stack.TimelineAsync(user));
    }

    [Fact]
    public async Task TwoRebuildsOfOneUser_StageTheirOwnFilters_AndEachSwapsInItsOwn()
    {
        // Rebuild A (all 40 likes) and rebuild B (a snapshot of 20), both running once the lock expired.
        const long user = 17;
        var timelines = new TimelineStore(stack.Redis, _stack.Keys, Microsoft.Extensions.Options.Options.Create(new Likes.Shared.Configuration.TimelineOptions { Size = Size }));
        var filters = new FilterStore(stack.Redis, _stack.Keys);
        var full = new BloomBitmap(BloomShape.For(80, 0.01));
        var partial = new BloomBitmap(BloomShape.For(40, 0.01));
        foreach (var c in Enumerable.Range(1700, 40))
        {
            full.Add(c);
            if (c < 1720)
            {
                partial.Add(c);
            }
        }

        await filters.StageAsync(user, "rebuild-a", full.ToBytes(), TimeSpan.FromSeconds(30));
        await filters.StageAsync(user, "rebuild-b", partial.ToBytes(), TimeSpan.FromSeconds(30));
        await _stack.Redis.StringSetAsync(_stack.Keys.RebuildLock(user), "rebuild-a");
        Assert.True(await timelines.ReplaceAsync(user, default, TimelineState.Truncated, [(1739, 2), (1738, 1)], FilterChange.Swap, "rebuild-a"));

        var installed = await _stack.FilterAsync(user);
        Assert.NotNull(installed);
        Assert.Equal(full.Shape, installed.Shape);
        Assert.All(Enumerable.Range(1700, 40), c => Assert.True(installed.MightContain(c), $"the installed filter misses {c}"));
    }
}
