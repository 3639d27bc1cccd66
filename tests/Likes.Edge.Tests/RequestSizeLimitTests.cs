using System.Text.Json;
using Likes.Edge.Limits;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// Oversized requests on a real socket: 413, 414 and 431 as problem+json up to twice the edge's limits, and past
/// that a bare refusal from Kestrel's parser; never a 5xx, and nothing unbounded is read.
/// </summary>
public sealed class RequestSizeLimitTests(KestrelEdgeFixture edge) : IClassFixture<KestrelEdgeFixture>
{
    private const int MaxLine = 8192;
    private const int MaxHeaders = 16384;

    [Fact]
    public async Task ARequestLineOverTheLimit_Is414ProblemJson()
    {
        var response = await SendAsync(Target(MaxLine + 100), headers: string.Empty);

        AssertProblem(response, 414);
    }

    [Fact]
    public async Task HeadersOverTheLimit_Are431ProblemJson()
    {
        var response = await SendAsync("/v1/feed-state?ids=1", $"X-Padding: {new string('p', MaxHeaders + 100)}\r\n");

        AssertProblem(response, 431);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Is413ProblemJson()
    {
        var body = new string('b', 8192);
        var response = await SendAsync("/v1/likes/42", $"Content-Length: {body.Length}\r\n", method: "PUT", body: body);

        AssertProblem(response, 413);
    }

    [Theory]
    [InlineData(414)]
    [InlineData(431)]
    public async Task PastTheServersOwnLimit_KestrelRefusesItWithoutABody(int status)
    {
        var response = status == 414
            ? await SendAsync(Target((MaxLine * KestrelLimits.ServerLimitFactor) + 100), headers: string.Empty)
            : await SendAsync("/v1/feed-state?ids=1", $"X-Padding: {new string('p', (MaxHeaders * KestrelLimits.ServerLimitFactor) + 100)}\r\n");

        Assert.Equal(status, response.Status);
        Assert.Equal(string.Empty, response.Body);
    }

    private static string Target(int length)
    {
        var target = "/v1/feed-state?ids=1&pad=";
        return target + new string('x', length - target.Length - "GET  HTTP/1.1\r\n".Length);
    }

    private Task<RawResponse> SendAsync(string target, string headers, string method = "GET", string body = "")
        => RawHttp.SendAsync(edge.Port,
            $"{method} {target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {Tokens.For(Users.Next())}\r\nConnection: close\r\n{headers}\r\n{body}");

    private static void AssertProblem(RawResponse response, int status)
    {
        Assert.True(response.Status == status, $"expected {status}, got: {response.Head}");
        Assert.Contains("Content-Type: application/problem+json", response.Head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Connection: close", response.Head, StringComparison.OrdinalIgnoreCase);
        var problem = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }
}
