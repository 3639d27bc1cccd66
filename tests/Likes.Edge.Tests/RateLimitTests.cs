using System.Net;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// LIKES_WRITE_RATE_PER_USER: a token bucket per user (burst 5 × rate) in Redis, shared by every edge; past it 429
/// with Retry-After. Without Redis each edge keeps its own bucket, and says so in a metric.
/// </summary>
public sealed class RateLimitTests(StackFixture stack) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task Writes_PastTheBurst_Are429WithRetryAfterAndPublishNothingWhileOtherUsersAreUnaffected()
    {
        await using var host = EdgeHost.For(stack, ("Edge:WriteRatePerUser", "1"));
        using var client = host.CreateClient();
        var (alice, bob) = (Tokens.For(Users.Next()), Tokens.For(Users.Next()));
        var events = new EventStream(stack);

        // Warm the connection and the code paths first, so the burst below takes milliseconds, not a refill period.
        Assert.Equal(HttpStatusCode.Accepted, (await client.LikeAsync("1", bob)).StatusCode);

        var burst = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            burst.Add((await client.LikeAsync("1", alice)).StatusCode);
        }

        var before = await events.PositionAsync();
        var sixth = await client.UnlikeAsync("1", alice);

        Assert.All(burst, status => Assert.Equal(HttpStatusCode.Accepted, status));
        await ProblemAssert.IsProblemAsync(sixth, HttpStatusCode.TooManyRequests);
        ProblemAssert.RetryAfterSeconds(sixth);
        await events.AssertUnchangedAsync(before);
        Assert.Equal(HttpStatusCode.Accepted, (await client.LikeAsync("2", bob)).StatusCode);
    }

    [Fact]
    public async Task TheBucket_IsTheUsers_NotTheTokens_SoFreshTokensDoNotBuyMoreWrites()
    {
        await using var host = EdgeHost.For(stack, ("Edge:WriteRatePerUser", "1"));
        using var client = host.CreateClient();
        var user = Users.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            // Every write with a token of its own, as a client minting new ones would send: twice the burst of 5.
            statuses.Add((await client.LikeAsync("4", Tokens.For(user, expires: DateTime.UtcNow.AddMinutes(10 + i)))).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task TheBucket_IsSharedByEveryEdge_ThatServesTheUser()
    {
        await using var first = EdgeHost.For(stack, ("Edge:WriteRatePerUser", "1"));
        await using var second = EdgeHost.For(stack, ("Edge:WriteRatePerUser", "1"));
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        var user = Tokens.For(Users.Next());

        var burst = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            burst.Add((await (i % 2 == 0 ? a : b).LikeAsync("5", user)).StatusCode);
        }

        Assert.All(burst, status => Assert.Equal(HttpStatusCode.Accepted, status));
        await ProblemAssert.IsProblemAsync(await b.LikeAsync("5", user), HttpStatusCode.TooManyRequests);
        await ProblemAssert.IsProblemAsync(await a.LikeAsync("5", user), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task WithoutRedis_EachEdgeKeepsItsOwnBucket_AndCountsTheFallback()
    {
        await using var host = EdgeHost.For(stack, ("Edge:WriteRatePerUser", "1"), ("Redis:Configuration", RedisUnavailableReadTests.UnreachableRedis));
        using var client = host.CreateClient();
        var user = Tokens.For(Users.Next());
        var before = await FallbacksAsync(client);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await client.LikeAsync("6", user)).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.True(await FallbacksAsync(client) >= before + 6, "every decision counted as a fallback");
    }

    [Fact]
    public async Task Reads_AreNotLimitedPerUser()
    {
        await using var host = EdgeHost.For(stack, ("Edge:WriteRatePerUser", "1"));
        using var client = host.CreateClient();
        var token = Tokens.For(Users.Next());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/feed-state?ids=1,2,3");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Writes_WithRateZero_AreNeverLimited()
    {
        await using var host = EdgeHost.For(stack, ("Edge:WriteRatePerUser", "0"));
        using var client = host.CreateClient();
        var token = Tokens.For(Users.Next());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            statuses.Add((await client.LikeAsync("3", token)).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Accepted, status));
    }

    private static async Task<double> FallbacksAsync(HttpClient client)
    {
        var line = (await client.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("likes_edge_write_limit_fallbacks_total ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
