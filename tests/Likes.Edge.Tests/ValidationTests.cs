using System.Net;
using System.Text.Json;
using Likes.Fixtures;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>Bad input is a 400 (or 413) problem naming what is wrong, and nothing reaches the stream.</summary>
public sealed class ValidationTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999")]
    [InlineData("%201")]
    [InlineData("1%20")]
    [InlineData("0x10")]
    [InlineData("007")]
    [InlineData("00")]
    [InlineData("%EF%BC%91")]
    public async Task Put_WithInvalidContentId_Is400NamingContentIdAndPublishesNothing(string contentId)
    {
        var before = await edge.Events.PositionAsync();

        var response = await edge.Client.LikeAsync(contentId, Tokens.For(Users.Next()));

        await ProblemAssert.IsValidationProblemAsync(response, "contentId");
        await edge.Events.AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("x")]
    public async Task Delete_WithInvalidContentId_Is400NamingContentIdAndPublishesNothing(string contentId)
    {
        var before = await edge.Events.PositionAsync();

        var response = await edge.Client.UnlikeAsync(contentId, Tokens.For(Users.Next()));

        await ProblemAssert.IsValidationProblemAsync(response, "contentId");
        await edge.Events.AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")]
    [InlineData("has space")]
    [InlineData("ключ")]
    [InlineData("tab\tinside")]
    public async Task Put_WithInvalidIdempotencyKey_Is400NamingItAndPublishesNothing(string key)
    {
        var before = await edge.Events.PositionAsync();

        var response = await edge.Client.LikeAsync("42", Tokens.For(Users.Next()), key);

        await ProblemAssert.IsValidationProblemAsync(response, "Idempotency-Key");
        await edge.Events.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Put_WithEmptyIdempotencyKey_Is400NamingItAndPublishesNothing()
    {
        var before = await edge.Events.PositionAsync();

        // HttpClient drops an empty header value; a raw request keeps it, as Kestrel does.
        var context = await edge.Host.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Put;
            c.Request.Path = "/v1/likes/42";
            c.Request.Headers.Authorization = "Bearer " + Tokens.For(Users.Next());
            c.Request.Headers["Idempotency-Key"] = string.Empty;
        });

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        await edge.Events.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Put_WithBadIdAndBadKey_NamesBoth()
    {
        var response = await edge.Client.LikeAsync("0", Tokens.For(Users.Next()), "has space");

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "contentId");
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task Put_WithIdempotencyKeyOf64VisibleAsciiCharacters_IsAccepted()
    {
        var key = new string([.. Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c)])[..64];

        var response = await edge.Client.LikeAsync("42", Tokens.For(Users.Next()), key);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Put_WithOversizedBody_Is413AndPublishesNothing()
    {
        var before = await edge.Events.PositionAsync();

        var response = await edge.Client.WriteAsync(HttpMethod.Put, "42", Tokens.For(Users.Next()), body: new ByteArrayContent(new byte[8192]));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await edge.Events.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Put_WithOversizedChunkedBody_Is413AndPublishesNothing()
    {
        var before = await edge.Events.PositionAsync();
        var response = await edge.Client.WriteAsync(HttpMethod.Put, "42", Tokens.For(Users.Next()), body: new ChunkedContent(new byte[8192]));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await edge.Events.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Put_WithSmallChunkedBody_IsAccepted()
    {
        var response = await edge.Client.WriteAsync(HttpMethod.Put, "42", Tokens.For(Users.Next()), body: new ChunkedContent(new byte[100]));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("text/html", "/v1/likes/42", true, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("multipart/form-data; boundary=x", "/v1/likes/42", false, HttpStatusCode.Unauthorized)]
    [InlineData("image/png", "/v1/nothing/here", true, HttpStatusCode.NotFound)]
    public async Task AnError_ForAClientThatAcceptsNoJson_IsStillProblemJson_NeverA500(string accept, string path, bool authenticated, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new ByteArrayContent(new byte[status == HttpStatusCode.RequestEntityTooLarge ? 8192 : 0]) };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (authenticated)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.For(Users.Next()));
        }

        await ProblemAssert.IsProblemAsync(await edge.Client.SendAsync(request), status);
    }

    [Fact]
    public async Task UnknownPath_Is404ProblemJson()
        => await ProblemAssert.IsProblemAsync(await edge.Client.GetAsync("/v1/nothing/here"), HttpStatusCode.NotFound);

    [Fact]
    public async Task Post_OnALike_Is405ProblemJson()
        => await ProblemAssert.IsProblemAsync(await edge.Client.WriteAsync(HttpMethod.Post, "42", Tokens.For(Users.Next())), HttpStatusCode.MethodNotAllowed);
}
