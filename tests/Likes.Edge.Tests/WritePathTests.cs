using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Likes.Fixtures;
using Likes.Shared.Events;
using Likes.Shared.Partitioning;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>Writes against the real NATS: what a 202 puts in the stream, read back from the stream itself.</summary>
public sealed class WritePathTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private readonly EventStream _events = edge.Events;

    [Fact]
    public async Task Put_PublishesOneLikeEventOnTheUsersPartitionAndAnswers202()
    {
        var user = Users.Next();
        var before = await _events.PositionAsync();
        var acceptedFrom = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var response = await edge.Client.LikeAsync("42", Tokens.For(user));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"contentId":"42","liked":true}""", await response.Content.ReadAsStringAsync());
        var stored = Assert.Single(await _events.SinceAsync(before));
        Assert.Equal(before.Messages + 1, (await _events.PositionAsync()).Messages);
        Assert.Equal(user, stored.Event.UserId);
        Assert.Equal(42, stored.Event.ContentId);
        Assert.Equal(LikeAction.Like, stored.Event.Action);
        Assert.Equal(edge.Stream.EventSubject(Partitioner.PartitionOf(user, edge.Stream.Partitions)), stored.Subject);
        Assert.Equal(7, stored.Event.EventId.Version);
        Assert.InRange(stored.Event.AcceptedAtMs, acceptedFrom, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.False(stored.Headers.ContainsKey("Nats-Msg-Id"));
    }

    [Fact]
    public async Task Delete_PublishesOneUnlikeEventAndAnswers202WithLikedFalse()
    {
        var user = Users.Next();
        var before = await _events.PositionAsync();

        var response = await edge.Client.UnlikeAsync("9223372036854775807", Tokens.For(user));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("9223372036854775807", body.GetProperty("contentId").GetString());
        Assert.False(body.GetProperty("liked").GetBoolean());
        var stored = Assert.Single(await _events.SinceAsync(before));
        Assert.Equal((user, long.MaxValue, LikeAction.Unlike), (stored.Event.UserId, stored.Event.ContentId, stored.Event.Action));
        Assert.Equal(edge.Stream.EventSubject(Partitioner.PartitionOf(user, edge.Stream.Partitions)), stored.Subject);
    }

    [Fact]
    public async Task Put_WithSameIdempotencyKeyTwice_PublishesOnceAndAnswers202Both()
    {
        var user = Users.Next();
        var before = await _events.PositionAsync();

        var first = await edge.Client.LikeAsync("7", Tokens.For(user), "retry-me-1");
        var retry = await edge.Client.LikeAsync("7", Tokens.For(user), "retry-me-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        var stored = Assert.Single(await _events.SinceAsync(before));
        Assert.Equal(before.LastSequence + 1, (await _events.PositionAsync()).LastSequence);
        Assert.Equal($"{user}:retry-me-1", stored.Headers["Nats-Msg-Id"]);
    }

    [Fact]
    public async Task Put_WithSameIdempotencyKeyFromTwoUsers_PublishesTwice()
    {
        var (alice, bob) = (Users.Next(), Users.Next());
        var before = await _events.PositionAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await edge.Client.LikeAsync("7", Tokens.For(alice), "same-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await edge.Client.LikeAsync("7", Tokens.For(bob), "same-key")).StatusCode);

        var stored = await _events.SinceAsync(before);
        Assert.Equal([alice, bob], stored.Select(s => s.Event.UserId));
    }

    [Fact]
    public async Task Put_WithoutIdempotencyKey_PublishesEveryRequest()
    {
        var user = Users.Next();
        var before = await _events.PositionAsync();

        await edge.Client.LikeAsync("8", Tokens.For(user));
        await edge.Client.LikeAsync("8", Tokens.For(user));

        // Liking twice still counts once: the consumers collapse it; the edge does not dedupe without a key.
        Assert.Equal(2, (await _events.SinceAsync(before)).Count);
    }

    [Fact]
    public async Task Put_ReusingAnIdempotencyKeyForAnotherWriteWithinTheWindow_Is422AndPublishesNothing()
    {
        var user = Users.Next();
        var before = await _events.PositionAsync();

        await edge.Client.LikeAsync("100", Tokens.For(user), "k-reused");
        var otherContent = await edge.Client.LikeAsync("200", Tokens.For(user), "k-reused");
        var otherAction = await edge.Client.UnlikeAsync("100", Tokens.For(user), "k-reused");
        var sameWrite = await edge.Client.LikeAsync("100", Tokens.For(user), "k-reused");

        foreach (var reused in new[] { otherContent, otherAction })
        {
            var problem = await ProblemAssert.IsProblemAsync(reused, HttpStatusCode.UnprocessableEntity);
            Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Accepted, sameWrite.StatusCode);
        var stored = Assert.Single(await _events.SinceAsync(before));
        Assert.Equal((100L, LikeAction.Like), (stored.Event.ContentId, stored.Event.Action));
    }

    [Fact]
    public async Task Put_PublishesAsTheTokensSubjectWhateverUserTheRequestNames()
    {
        var user = Users.Next();
        var before = await _events.PositionAsync();
        var request = new HttpRequestMessage(HttpMethod.Put, "/v1/likes/5?userId=1&user=1");
        request.Headers.Authorization = new("Bearer", Tokens.For(user));
        request.Headers.Add("X-User-Id", "1");

        Assert.Equal(HttpStatusCode.Accepted, (await edge.Client.SendAsync(request)).StatusCode);

        Assert.Equal(user, Assert.Single(await _events.SinceAsync(before)).Event.UserId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")]
    public async Task Put_WithoutASampledTrace_PublishesNoTraceHeaders(string? unsampledParent)
    {
        // Tracing is off in this host (no exporter): no span is made, and an unsampled request has nothing to pass on.
        var before = await _events.PositionAsync();
        var request = new HttpRequestMessage(HttpMethod.Put, "/v1/likes/12");
        request.Headers.Authorization = new("Bearer", Tokens.For(Users.Next()));
        if (unsampledParent is not null)
        {
            request.Headers.Add("traceparent", unsampledParent);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await edge.Client.SendAsync(request)).StatusCode);

        Assert.Empty(Assert.Single(await _events.SinceAsync(before)).Headers);
    }

    [Fact]
    public async Task Put_CarriesTheCallersTraceIntoTheEventHeaders()
    {
        var trace = ActivityTraceId.CreateRandom();
        var parent = $"00-{trace}-{ActivitySpanId.CreateRandom()}-01";
        var before = await _events.PositionAsync();
        var request = new HttpRequestMessage(HttpMethod.Put, "/v1/likes/11");
        request.Headers.Authorization = new("Bearer", Tokens.For(Users.Next()));
        request.Headers.Add("traceparent", parent);
        request.Headers.Add("tracestate", "likes=test");

        Assert.Equal(HttpStatusCode.Accepted, (await edge.Client.SendAsync(request)).StatusCode);

        var headers = Assert.Single(await _events.SinceAsync(before)).Headers;
        var traceparent = headers["traceparent"].Split('-');
        Assert.Equal(trace.ToString(), traceparent[1]);
        Assert.NotEqual(parent, headers["traceparent"]);
        Assert.Equal("likes=test", headers["tracestate"]);
    }
}
