extern alias edge;
using System.Net;
using edge::Likes.Edge.Reads;
using Likes.Fixtures;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// A user with N + 30 likes, all made through the edge, on the whole stack with the reheater: after the first
/// cold read the timeline holds the newest N and a Bloom filter holds them all; the oldest are liked, ids the
/// user never liked are not, and PostgreSQL is asked about almost none of those.
/// </summary>
public sealed class HeavyUserTests(ColdStackFixture stack) : IClassFixture<ColdStackFixture>
{
    private const int Extra = 30;
    private const int Strangers = 200;

    private ReadMetrics Metrics => stack.Host.Services.GetRequiredService<ReadMetrics>();

    [Fact]
    public async Task AUserWithNPlusThirtyLikes_IsAnsweredExactly_TheOldestLiked_StrangersMostlyFromTheFilter()
    {
        var user = Users.Next();
        var token = Tokens.For(user);
        var liked = Enumerable.Range(0, SmallTimelineStackFixture.TimelineSize + Extra).Select(_ => Contents.Next()).ToList();
        foreach (var content in liked)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(content.ToString(), token)).StatusCode);
        }

        // The first read finds a timeline that started from the stream (partial): answered from PostgreSQL, and rebuilt.
        await Eventually.UntilAsync(async () => (await stack.Client.FeedStateOkAsync(token, liked[0])).Items[0].Liked == true, TimeSpan.FromSeconds(20), "the oldest like visible");
        // Reads go on as a feed would: a rebuild refused because PostgreSQL was still behind the aggregator is asked again by the next one.
        var filter = await Eventually.UntilAsync(
            async () =>
            {
                await stack.Client.FeedStateOkAsync(token, liked[0]);
                return await stack.Store.StoredFilterAsync(user);
            },
            f => f is not null, TimeSpan.FromSeconds(30), "filter built");
        Assert.Equal((uint)liked.Count, filter!.Inserted);
        Assert.Equal(TimelineState.Truncated, TimelineSentinel.StateOf(await stack.Redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(stack.Store.Keys.Timeline(user), 0, 0)));

        var oldest = liked.Take(Extra).ToArray();
        Assert.All((await stack.Client.FeedStateOkAsync(token, oldest)).Items, i => Assert.True(i.Liked, $"{i.ContentId} liked"));

        var strangers = Enumerable.Range(0, Strangers).Select(_ => Contents.Next()).ToArray();
        var (queries, definiteNo) = (Metrics.FallbackQueriesRun(ReadMetrics.Liked), Metrics.BloomAnswers(ReadMetrics.BloomDefiniteNo));
        foreach (var page in strangers.Chunk(100))
        {
            Assert.All((await stack.Client.FeedStateOkAsync(token, page)).Items, i => Assert.False(i.Liked, $"{i.ContentId} not liked"));
        }

        // At 1 %, about 2 of 200 strangers are "maybe": at most one liked query per page, and most answered from Redis.
        Assert.InRange(Metrics.FallbackQueriesRun(ReadMetrics.Liked) - queries, 0, 2);
        Assert.InRange(Metrics.BloomAnswers(ReadMetrics.BloomDefiniteNo) - definiteNo, Strangers - 12, Strangers);
    }
}
