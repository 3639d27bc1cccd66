using System.Net;
using Likes.Fixtures;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NATS.Client.Core;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>GET /v1/feed-state against the real servers: request order, duplicates, the sentinel's rules, ghosts, validation.</summary>
public sealed class FeedStateTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private readonly ReadStore _store = edge.Store;

    [Fact]
    public async Task FeedState_AnswersEachIdGivenInRequestOrderDuplicatesIncluded()
    {
        var (user, a, b, c) = (Users.Next(), Contents.Next(), Contents.Next(), Contents.Next());
        await _store.LikedByAsync(a, 3, Users.Next() / 2);
        await _store.LikedByAsync(b, 1, Users.Next() / 2);
        await _store.LikeAsync([(user, c, ReadStore.Epoch)]);

        var response = await edge.Client.FeedStateAsync($"{c},{a},{b},{a},{c}", Tokens.For(user));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(
            $$"""{"items":[{"contentId":"{{c}}","count":1,"liked":true},{"contentId":"{{a}}","count":3,"liked":false},{"contentId":"{{b}}","count":1,"liked":false},{"contentId":"{{a}}","count":3,"liked":false},{"contentId":"{{c}}","count":1,"liked":true}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FeedState_OfAContentNobodyLiked_IsCountZeroLikedFalse_AndCachesAGhostForTheGhostTtl()
    {
        var (user, nobody) = (Users.Next(), Contents.Next());

        var first = await edge.Client.FeedStateOkAsync(Tokens.For(user), nobody);
        var second = await edge.Client.FeedStateOkAsync(Tokens.For(user), nobody);

        Assert.Equal(new FeedStateItem(nobody.ToString(), 0, false), Assert.Single(first.Items));
        Assert.Null(first.Degraded);
        Assert.Equal(first.Items, second.Items);
        await Eventually.UntilAsync(async () => await _store.CounterAsync(nobody) == "0:0", TimeSpan.FromSeconds(5), "ghost cached");
        Assert.InRange(await _store.CounterTtlAsync(nobody) ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Null(await _store.CountRowAsync(nobody));
    }

    [Fact]
    public async Task FeedState_WritesLoadedCountersBackWithTheirRowVersion_WithoutExpiry()
    {
        var (user, content) = (Users.Next(), Contents.Next());
        await _store.LikedByAsync(content, 4, Users.Next() / 2);
        var row = await _store.CountRowAsync(content);

        Assert.Equal(4, (await edge.Client.FeedStateOkAsync(Tokens.For(user), content)).Items[0].Count);

        // Written after the answer, off the request's path.
        await Eventually.UntilAsync(async () => await _store.CounterAsync(content) == row.ToString(), TimeSpan.FromSeconds(5), "counter written back");
        Assert.Null(await _store.CounterTtlAsync(content));
    }

    [Fact]
    public async Task AGhostsBucket_ExpiresUntilARealCountIsWrittenInIt_ThenTheGhostStaysWithIt()
    {
        var (user, nobody) = (Users.Next(), Contents.Next());
        var neighbour = nobody % RedisKeys.CountersPerBucket == 0 ? nobody + 1 : nobody - 1;
        await _store.LikedByAsync(neighbour, 3, Users.Next() / 2);

        await edge.Client.FeedStateOkAsync(Tokens.For(user), nobody);
        await Eventually.UntilAsync(async () => await _store.CounterAsync(nobody) == "0:0", TimeSpan.FromSeconds(5), "ghost cached");
        Assert.NotNull(await _store.CounterTtlAsync(nobody));

        Assert.Equal(3, (await edge.Client.FeedStateOkAsync(Tokens.For(user), neighbour)).Items[0].Count);
        await Eventually.UntilAsync(async () => await _store.CounterTtlAsync(neighbour) is null, TimeSpan.FromSeconds(5), "the bucket kept");
        Assert.Equal("0:0", await _store.CounterAsync(nobody));
        Assert.Equal((await _store.CountRowAsync(neighbour)).ToString(), await _store.CounterAsync(neighbour));
    }

    [Fact]
    public async Task FeedState_TakesCountsFromRedis_ARealCountAndAGhostAlike()
    {
        var (user, counted, ghost) = (Users.Next(), Contents.Next(), Contents.Next());
        await _store.SetCounterAsync(counted, "12:7");
        await _store.SetCounterAsync(ghost, "0:0");
        await _store.TimelineAsync(user, TimelineState.Complete, []);

        var state = await edge.Client.FeedStateOkAsync(Tokens.For(user), counted, ghost);

        Assert.Equal([new(counted.ToString(), 12, false), new(ghost.ToString(), 0, false)], state.Items);
    }

    [Fact]
    public async Task FeedState_PresentInTheTimeline_IsLikedWhateverItsState()
    {
        var (user, content) = (Users.Next(), Contents.Next());
        await _store.TimelineAsync(user, TimelineState.Partial, [(content, ReadStore.Epoch)]);

        // PostgreSQL has no row: only the timeline can have said yes.
        Assert.True((await edge.Client.FeedStateOkAsync(Tokens.For(user), content)).Items[0].Liked);
    }

    [Fact]
    public async Task FeedState_AbsentFromACompleteTimeline_IsNotLiked_WithoutAskingPostgres()
    {
        var (user, content) = (Users.Next(), Contents.Next());
        await _store.LikeAsync([(user, content, ReadStore.Epoch)]);
        await _store.TimelineAsync(user, TimelineState.Complete, []);

        // PostgreSQL says liked; a complete timeline is believed (this disagreement is only ever staged by a test).
        Assert.False((await edge.Client.FeedStateOkAsync(Tokens.For(user), content)).Items[0].Liked);
    }

    [Theory]
    [InlineData(TimelineState.Truncated)]
    [InlineData(TimelineState.Partial)]
    public async Task FeedState_AbsentFromAnIncompleteTimeline_AsksPostgres(TimelineState state)
    {
        var (user, liked, notLiked, newest) = (Users.Next(), Contents.Next(), Contents.Next(), Contents.Next());
        await _store.LikeAsync([(user, liked, ReadStore.Epoch)]);
        await _store.TimelineAsync(user, state, [(newest, ReadStore.Epoch + 10)]);

        var items = (await edge.Client.FeedStateOkAsync(Tokens.For(user), liked, notLiked, newest)).Items;

        Assert.Equal([true, false, true], items.Select(i => i.Liked));
    }

    [Fact]
    public async Task FeedState_WithAMissingTimeline_AnswersFromPostgresAndAsksForARebuild()
    {
        var (user, liked, notLiked) = (Users.Next(), Contents.Next(), Contents.Next());
        await _store.LikeAsync([(user, liked, ReadStore.Epoch)]);
        await using var requests = await edge.Nats.SubscribeCoreAsync<string>(edge.Stream.ReheatSubject);
        await edge.Nats.PingAsync();

        var items = (await edge.Client.FeedStateOkAsync(Tokens.For(user), liked, notLiked)).Items;

        Assert.Equal([true, false], items.Select(i => i.Liked));
        await RebuildRequestedAsync(requests, user);
    }

    [Fact]
    public async Task FeedState_WithAPartialTimeline_AsksForARebuild()
    {
        // Started by the stream, never rebuilt: only a rebuild can make it complete and spare PostgreSQL.
        var (user, liked, older) = (Users.Next(), Contents.Next(), Contents.Next());
        await _store.LikeAsync([(user, older, ReadStore.Epoch), (user, liked, ReadStore.Epoch + 10)]);
        await _store.TimelineAsync(user, TimelineState.Partial, [(liked, ReadStore.Epoch + 10)]);
        await using var requests = await edge.Nats.SubscribeCoreAsync<string>(edge.Stream.ReheatSubject);
        await edge.Nats.PingAsync();

        var items = (await edge.Client.FeedStateOkAsync(Tokens.For(user), liked, older)).Items;

        Assert.Equal([true, true], items.Select(i => i.Liked));
        await RebuildRequestedAsync(requests, user);
    }

    private static async Task RebuildRequestedAsync(INatsSub<string> requests, long user)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var request = await requests.Msgs.ReadAsync(wait.Token);
            if (request.Data == user.ToString())
            {
                Assert.Equal("t:" + user, request.Headers?["Nats-Msg-Id"].ToString());
                return;
            }
        }
    }

    [Fact]
    public async Task FeedState_OfOneHundredIds_AnswersOneHundredItems()
    {
        var user = Users.Next();
        var ids = Enumerable.Range(0, 100).Select(_ => Contents.Next()).ToArray();

        var state = await edge.Client.FeedStateOkAsync(Tokens.For(user), ids);

        Assert.Equal(ids.Select(id => id.ToString()), state.Items.Select(i => i.ContentId));
        Assert.All(state.Items, i => Assert.Equal((0L, false), (i.Count, i.Liked)));
    }

    [Theory]
    [InlineData("ids=0")]
    [InlineData("ids=-1")]
    [InlineData("ids=1,-1")]
    [InlineData("ids=")]
    [InlineData("")]
    [InlineData("id=1")]
    [InlineData("ids=abc")]
    [InlineData("ids=1,,2")]
    [InlineData("ids=1,2,")]
    [InlineData("ids=,1")]
    [InlineData("ids=1%202")]
    [InlineData("ids=%201")]
    [InlineData("ids=%2B1")]
    [InlineData("ids=1.5")]
    [InlineData("ids=9223372036854775808")]
    [InlineData("ids=1&ids=2")]
    [InlineData("ids=1;2")]
    [InlineData("ids=1,07")]
    public async Task FeedState_WithBadIds_Is400NamingIds(string query)
    {
        var response = await edge.Client.GetAsync("/v1/feed-state?" + query, Tokens.For(Users.Next()));

        await ProblemAssert.IsValidationProblemAsync(response, "ids");
    }

    [Fact]
    public async Task FeedState_WithOneHundredAndOneIds_Is400NamingIds()
    {
        var ids = string.Join(',', Enumerable.Range(1, 101));

        await ProblemAssert.IsValidationProblemAsync(await edge.Client.FeedStateAsync(ids, Tokens.For(Users.Next())), "ids");
    }

    [Fact]
    public async Task FeedState_WithTheLargestId_IsAnswered()
    {
        var state = await edge.Client.FeedStateOkAsync(Tokens.For(Users.Next()), long.MaxValue);

        Assert.Equal("9223372036854775807", state.Items[0].ContentId);
    }

    [Fact]
    public async Task Reads_WithoutAToken_Are401()
    {
        ProblemAssert.HasBearerChallenge(await edge.Client.FeedStateAsync("1", token: null));
        ProblemAssert.HasBearerChallenge(await edge.Client.CountAsync("1", token: null));
        ProblemAssert.HasBearerChallenge(await edge.Client.MyLikesAsync(token: null));
    }

    [Fact]
    public async Task Count_AnswersTheCounterOfOneContent()
    {
        var (counted, nobody) = (Contents.Next(), Contents.Next());
        await _store.LikedByAsync(counted, 5, Users.Next() / 2);
        var token = Tokens.For(Users.Next());

        var response = await edge.Client.CountAsync(counted.ToString(), token);

        Assert.Equal($$"""{"contentId":"{{counted}}","count":5}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(new LikeCount(nobody.ToString(), 0, null), await edge.Client.CountOkAsync(token, nobody));
        await Eventually.UntilAsync(async () => await _store.CounterAsync(nobody) == "0:0", TimeSpan.FromSeconds(5), "ghost cached");
        var row = (await _store.CountRowAsync(counted)).ToString();
        await Eventually.UntilAsync(async () => await _store.CounterAsync(counted) == row, TimeSpan.FromSeconds(5), "counter written back");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("x")]
    [InlineData("9223372036854775808")]
    public async Task Count_WithABadContentId_Is400NamingContentId(string contentId)
        => await ProblemAssert.IsValidationProblemAsync(await edge.Client.CountAsync(contentId, Tokens.For(Users.Next())), "contentId");

    [Fact]
    public async Task Readiness_WithEveryStoreUp_IsReadyAndEveryDependencyHealthy()
    {
        await Eventually.UntilAsync(() => edge.Client.GetAsync("/healthz/ready"), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(10), "edge ready");

        var dependencies = await edge.Host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains(ServiceDefaults.DependencyTag));

        Assert.Equal(["nats", "postgres", "redis"], dependencies.Entries.Keys.Order());
        Assert.Equal(HealthStatus.Healthy, dependencies.Status);
    }
}
