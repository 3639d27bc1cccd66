using System.Net;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>Every way a token can be wrong is a 401 with <c>WWW-Authenticate: Bearer</c>, a problem body, and no event.</summary>
public sealed class AuthenticationTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private static readonly long InOneHour = HandMadeJwt.ExpiresIn(TimeSpan.FromHours(1));

    [Fact]
    public Task Put_WithoutAuthorizationHeader_Is401AndPublishesNothing()
        => AssertRejectedAsync(token: null, expectedDetail: "required");

    [Fact]
    public async Task Delete_WithoutAuthorizationHeader_Is401AndPublishesNothing()
    {
        var before = await edge.Events.PositionAsync();
        var response = await edge.Client.UnlikeAsync("42", token: null);
        ProblemAssert.HasBearerChallenge(response);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        await edge.Events.AssertUnchangedAsync(before);
    }

    [Fact]
    public Task Put_WithMalformedToken_Is401AndPublishesNothing()
        => AssertRejectedAsync("not-a-jwt");

    [Fact]
    public Task Put_WithThreeGarbageSegments_Is401AndPublishesNothing()
        => AssertRejectedAsync("abc.def.ghi");

    [Fact]
    public Task Put_WithAlgNoneToken_Is401AndPublishesNothing()
        => AssertRejectedAsync(HandMadeJwt.AlgNone(new { sub = "42", exp = InOneHour }));

    [Fact]
    public Task Put_WithHs512Token_Is401AndPublishesNothing()
        => AssertRejectedAsync(HandMadeJwt.Hs512(new { sub = "42", exp = InOneHour }));

    [Fact]
    public Task Put_WithTokenSignedByAnotherKey_Is401AndPublishesNothing()
        => AssertRejectedAsync(Tokens.For("42", key: "another-key-that-is-long-enough-0123456789"));

    [Fact]
    public Task Put_WithExpiredToken_Is401AndPublishesNothing()
        => AssertRejectedAsync(Tokens.For("42", expires: DateTime.UtcNow.AddMinutes(-5)), expectedDetail: "expired");

    [Fact]
    public Task Put_WithTokenWithoutExp_Is401AndPublishesNothing()
        => AssertRejectedAsync(HandMadeJwt.Hs256(new { sub = "42" }));

    [Fact]
    public Task Put_WithNonNumericSub_Is401AndPublishesNothing()
        => AssertRejectedAsync(Tokens.For("alice"), expectedDetail: "sub");

    [Fact]
    public Task Put_WithSubZero_Is401AndPublishesNothing()
        => AssertRejectedAsync(Tokens.For("0"), expectedDetail: "sub");

    [Fact]
    public Task Put_WithNegativeSub_Is401AndPublishesNothing()
        => AssertRejectedAsync(Tokens.For("-42"), expectedDetail: "sub");

    [Fact]
    public Task Put_WithSubOverflowingLong_Is401AndPublishesNothing()
        => AssertRejectedAsync(Tokens.For("9223372036854775808"), expectedDetail: "sub");

    [Fact]
    public Task Put_WithSubWithALeadingZero_Is401AndPublishesNothing_SoNoUserHasTwoSpellings()
        => AssertRejectedAsync(Tokens.For("042"), expectedDetail: "sub");

    [Fact]
    public Task Put_WithoutSub_Is401AndPublishesNothing()
        => AssertRejectedAsync(HandMadeJwt.Hs256(new { exp = InOneHour }), expectedDetail: "sub");

    [Fact]
    public async Task Put_WithTokenExpiredWithinTheClockSkew_IsAccepted()
    {
        var response = await edge.Client.LikeAsync("42", Tokens.For("42", expires: DateTime.UtcNow.AddSeconds(-5)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Put_WithIssuerAndAudienceConfigured_AcceptsOnlyTokensNamingBoth()
    {
        await using var host = EdgeHost.For(edge, ("Edge:Jwt:Issuer", "likes-idp"), ("Edge:Jwt:Audience", "likes-api"));
        using var client = host.CreateClient();
        var before = await edge.Events.PositionAsync();

        var right = await client.LikeAsync("42", Tokens.For("42", issuer: "likes-idp", audience: "likes-api"));
        var wrongIssuer = await client.LikeAsync("42", Tokens.For("42", issuer: "someone-else", audience: "likes-api"));
        var noAudience = await client.LikeAsync("42", Tokens.For("42", issuer: "likes-idp"));

        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        ProblemAssert.HasBearerChallenge(wrongIssuer);
        ProblemAssert.HasBearerChallenge(noAudience);
        Assert.Equal(before.LastSequence + 1, (await edge.Events.PositionAsync()).LastSequence);
    }

    private async Task AssertRejectedAsync(string? token, string? expectedDetail = null)
    {
        var before = await edge.Events.PositionAsync();

        var response = await edge.Client.LikeAsync("42", token);

        ProblemAssert.HasBearerChallenge(response);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        if (expectedDetail is not null)
        {
            Assert.Contains(expectedDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await edge.Events.AssertUnchangedAsync(before);
    }
}
