using System.Net;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// Rotating the signing key without a window of 401s (docs/security.md): while LIKES_JWT_PREVIOUS_KEY is set the
/// edge accepts tokens signed by either key; once it is removed, only the new key's.
/// </summary>
public sealed class KeyRotationTests(StackFixture stack) : IClassFixture<StackFixture>
{
    private const string OldKey = "the-key-being-retired-0123456789abcdef";
    private const string NewKey = "the-key-taking-over-0123456789abcdefgh";

    [Fact]
    public async Task DuringARotation_TokensOfTheOldAndTheNewKeyAreAccepted_AndNoOtherKeys()
    {
        await using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", NewKey), ("Edge:Jwt:PreviousKey", OldKey));
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.Accepted, (await client.LikeAsync("42", Tokens.For("42", key: OldKey))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.LikeAsync("42", Tokens.For("42", key: NewKey))).StatusCode);
        ProblemAssert.HasBearerChallenge(await client.LikeAsync("42", Tokens.For("42", key: "a-third-key-nobody-rotated-to-0123456789")));
    }

    [Fact]
    public async Task AfterTheRotation_TheOldKeysTokensAreRefused()
    {
        await using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", NewKey));
        using var client = host.CreateClient();

        ProblemAssert.HasBearerChallenge(await client.LikeAsync("42", Tokens.For("42", key: OldKey)));
    }

    [Fact]
    public void AShortPreviousKey_StopsTheStart_NamingLikesJwtPreviousKey()
    {
        using var host = EdgeHost.For(stack, "Production", ("Edge:Jwt:Key", NewKey), ("Edge:Jwt:PreviousKey", "too-short"));

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("LIKES_JWT_PREVIOUS_KEY", failure.ToString(), StringComparison.Ordinal);
    }
}
