using System.Net;
using Likes.Edge.Options;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>Outside Development the edge refuses to start without a real signing key, and says which variable to set.</summary>
public sealed class StartupTests(StackFixture stack) : IClassFixture<StackFixture>
{
    private const string ProductionKey = "a-production-key-that-is-at-least-32-bytes";

    [Fact]
    public void Start_OutsideDevelopmentWithoutJwtKey_FailsNamingLikesJwtKey()
    {
        using var host = EdgeHost.For(stack, "Production");

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("LIKES_JWT_KEY", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_OutsideDevelopmentWithShortJwtKey_FailsNamingLikesJwtKey()
    {
        using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", "only-31-bytes-long-0123456789ab"));

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("LIKES_JWT_KEY", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_OutsideDevelopmentWithTheDocumentedDevelopmentKey_FailsNamingLikesJwtKey()
    {
        using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", JwtOptions.DevelopmentKey));

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("LIKES_JWT_KEY", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("development key", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_OutsideDevelopmentWithTheDevelopmentKeyAsThePreviousKey_Fails()
    {
        using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", ProductionKey), ("Edge:Jwt:PreviousKey", JwtOptions.DevelopmentKey));

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("LIKES_JWT_PREVIOUS_KEY", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OutsideDevelopmentWithJwtKey_AcceptsItsTokensAndRefusesTheDevelopmentKey()
    {
        await using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", ProductionKey));
        using var client = host.CreateClient();

        var signedWithKey = await client.LikeAsync("42", Tokens.For("42", key: ProductionKey));
        var signedWithDevelopmentKey = await client.LikeAsync("42", Tokens.For("42"));

        Assert.Equal(HttpStatusCode.Accepted, signedWithKey.StatusCode);
        ProblemAssert.HasBearerChallenge(signedWithDevelopmentKey);
    }

    [Fact]
    public void Start_OutsideDevelopmentWithTheDiscardWritePath_FailsNamingIt()
    {
        using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", ProductionKey), ("Edge:WritePath", "discard"));

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("Edge:WritePath discard", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InDevelopmentWithTheDiscardWritePath_AcceptsALikeAndKeepsNothing()
    {
        await using var host = EdgeHost.For(stack, "Development", ("Edge:WritePath", "discard"));
        using var client = host.CreateClient();
        var before = (await stack.JetStream.GetStreamAsync(stack.Stream.Name)).Info.State.LastSeq;

        var liked = await client.LikeAsync("43", Tokens.For("43"));

        Assert.Equal(HttpStatusCode.Accepted, liked.StatusCode);
        Assert.Equal(before, (await stack.JetStream.GetStreamAsync(stack.Stream.Name)).Info.State.LastSeq);
    }

    [Fact]
    public void Start_WithClockSkewOutOfRange_Fails()
    {
        using var host = EdgeHost.For(stack, ("Edge:Jwt:ClockSkew", "00:30:00"));

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("ClockSkew", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentKey_IsTheDocumentedOne()
        => Assert.Equal(Tokens.DevelopmentKey, JwtOptions.DevelopmentKey);
}
