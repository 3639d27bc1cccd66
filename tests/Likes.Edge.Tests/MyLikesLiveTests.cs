using System.Net;
using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>My-likes over what the workers really made: a timeline trimmed to N by the aggregator, the rest in PostgreSQL by the persister.</summary>
public sealed class MyLikesLiveTests(SmallTimelineStackFixture stack) : IClassFixture<SmallTimelineStackFixture>
{
    private const int Extra = 30;

    [Fact]
    public async Task Pages_OfAUserWithNPlusThirtyLikes_RunNewestFirstAcrossTheTrimmedTimelineAndPostgres()
    {
        var user = Users.Next();
        var token = Tokens.For(user);
        var contents = Enumerable.Range(0, SmallTimelineStackFixture.TimelineSize + Extra).Select(_ => Contents.Next()).ToList();
        foreach (var content in contents)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(content.ToString(), token)).StatusCode);
        }

        var truth = await Eventually.UntilAsync(() => TruthAsync(user), rows => rows.Count == contents.Count, TimeSpan.FromSeconds(20), "every like in PostgreSQL");
        var timeline = stack.Redis.GetDatabase();
        var key = stack.Store.Keys.Timeline(user);
        await Eventually.UntilAsync(async () => await timeline.SortedSetLengthAsync(key) == SmallTimelineStackFixture.TimelineSize + 1, TimeSpan.FromSeconds(20), "the timeline trimmed to N");
        Assert.NotEqual(TimelineState.Complete, TimelineSentinel.StateOf(await timeline.SortedSetRangeByRankWithScoresAsync(key, 0, 0)));

        var pages = await stack.Client.AllMyLikesAsync(token, 7);

        Assert.Equal(truth, pages.SelectMany(p => p).Select(i => i.ContentId));
        Assert.Equal([7, 7, 7, 7, 7, 5], pages.Select(p => p.Count));
    }

    private async Task<List<string>> TruthAsync(long user)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return [.. (await c.QueryAsync<long>("SELECT content_id FROM likes WHERE user_id = @user ORDER BY created_at DESC, content_id DESC", new { user })).Select(id => id.ToString())];
    }
}
