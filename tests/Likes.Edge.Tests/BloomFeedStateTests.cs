extern alias edge;
using edge::Likes.Edge.Reads;
using Likes.Fixtures;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// feed-state against a heavy user's Bloom filter, staged by hand: "no" answers from Redis, "maybe" and a
/// missing filter from PostgreSQL, and a rebuild asked for exactly when one would help.
/// </summary>
public sealed class BloomFeedStateTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private readonly ReadStore _store = edge.Store;

    private ReadMetrics Metrics => edge.Host.Services.GetRequiredService<ReadMetrics>();

    [Fact]
    public async Task FilterNo_IsNotLiked_FromRedis_WithoutAskingPostgres()
    {
        var (user, liked, stranger, newest) = (Users.Next(), Contents.Next(), Contents.Next(), Contents.Next());
        // PostgreSQL says liked; the filter lacks it (a disagreement only a test stages): Redis's "no" is believed.
        await _store.LikeAsync([(user, stranger, ReadStore.Epoch)]);
        await _store.TimelineAsync(user, TimelineState.Truncated, [(newest, ReadStore.Epoch + 10)]);
        await _store.FilterAsync(user, [liked, newest]);
        var (queries, definiteNo) = (Metrics.FallbackQueriesRun(ReadMetrics.Liked), Metrics.BloomAnswers(ReadMetrics.BloomDefiniteNo));

        var items = (await edge.Client.FeedStateOkAsync(Tokens.For(user), stranger, newest)).Items;

        Assert.Equal([false, true], items.Select(i => i.Liked));
        Assert.Equal(queries, Metrics.FallbackQueriesRun(ReadMetrics.Liked));
        Assert.Equal(definiteNo + 1, Metrics.BloomAnswers(ReadMetrics.BloomDefiniteNo));
    }

    [Fact]
    public async Task FilterMaybe_AsksPostgresForThePage_InOneQuery_AndCountsFalsePositives()
    {
        var (user, old1, old2, falsePositive) = (Users.Next(), Contents.Next(), Contents.Next(), Contents.Next());
        await _store.LikeAsync([(user, old1, ReadStore.Epoch), (user, old2, ReadStore.Epoch + 1)]);
        await _store.TimelineAsync(user, TimelineState.Truncated, [(Contents.Next(), ReadStore.Epoch + 10)]);
        // falsePositive is in the filter but not in PostgreSQL: what a false positive looks like.
        await _store.FilterAsync(user, [old1, old2, falsePositive]);
        var (queries, maybe, wrong) = (Metrics.FallbackQueriesRun(ReadMetrics.Liked), Metrics.BloomAnswers(ReadMetrics.BloomMaybe), Metrics.BloomAnswers(ReadMetrics.BloomFalsePositive));

        var items = (await edge.Client.FeedStateOkAsync(Tokens.For(user), old1, falsePositive, old2)).Items;

        Assert.Equal([true, false, true], items.Select(i => i.Liked));
        Assert.Equal(queries + 1, Metrics.FallbackQueriesRun(ReadMetrics.Liked));
        Assert.Equal((maybe + 3, wrong + 1), (Metrics.BloomAnswers(ReadMetrics.BloomMaybe), Metrics.BloomAnswers(ReadMetrics.BloomFalsePositive)));
    }

    [Fact]
    public async Task AFilter_OutlivingItsTimeline_StillSaysNo()
    {
        var (user, liked, stranger) = (Users.Next(), Contents.Next(), Contents.Next());
        await _store.LikeAsync([(user, liked, ReadStore.Epoch)]);
        await _store.FilterAsync(user, [liked]);

        var items = (await edge.Client.FeedStateOkAsync(Tokens.For(user), liked, stranger)).Items;

        Assert.Equal([true, false], items.Select(i => i.Liked));
    }

    [Theory]
    [InlineData("missing filter")]
    [InlineData("overfull filter")]
    [InlineData("partial timeline")]
    public async Task ATimelineThatCannotDecide_AsksForARebuild(string situation)
    {
        var (user, liked) = (Users.Next(), Contents.Next());
        await _store.LikeAsync([(user, liked, ReadStore.Epoch)]);
        await _store.TimelineAsync(user, situation == "partial timeline" ? TimelineState.Partial : TimelineState.Truncated, [(Contents.Next(), ReadStore.Epoch + 10)]);
        if (situation == "overfull filter")
        {
            await _store.FilterAsync(user, [liked], capacity: 10);
            await edge.Redis.GetDatabase().ExecuteAsync("BITFIELD", _store.Keys.Bloom(user), "SET", "u32", 96, 11);
        }

        await using var requests = await edge.Nats.SubscribeCoreAsync<string>(edge.Stream.ReheatSubject);
        await edge.Nats.PingAsync();

        Assert.True((await edge.Client.FeedStateOkAsync(Tokens.For(user), liked)).Items[0].Liked);
        Assert.Equal("t:" + user, await RequestForAsync(requests, user));
    }

    [Fact]
    public async Task AFilterThatFits_AsksForNoRebuild_EvenOnMaybe()
    {
        var (user, liked) = (Users.Next(), Contents.Next());
        await _store.LikeAsync([(user, liked, ReadStore.Epoch)]);
        await _store.TimelineAsync(user, TimelineState.Truncated, [(Contents.Next(), ReadStore.Epoch + 10)]);
        await _store.FilterAsync(user, [liked]);
        await using var requests = await edge.Nats.SubscribeCoreAsync<string>(edge.Stream.ReheatSubject);
        await edge.Nats.PingAsync();

        Assert.True((await edge.Client.FeedStateOkAsync(Tokens.For(user), liked)).Items[0].Liked);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RequestForAsync(requests, user, TimeSpan.FromSeconds(1)));
    }

    private static async Task<string> RequestForAsync(INatsSub<string> requests, long user, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var request = await requests.Msgs.ReadAsync(timeout.Token);
            if (request.Data == user.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return request.Headers?["Nats-Msg-Id"].ToString() ?? string.Empty;
            }
        }
    }
}
