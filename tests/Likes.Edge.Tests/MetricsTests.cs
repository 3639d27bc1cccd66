using System.Net;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>/metrics: HTTP series labelled by route pattern (never an id), and the write path's own series.</summary>
public sealed class MetricsTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    [Fact]
    public async Task Metrics_LabelRequestsByRoutePatternNeverByRawPath()
    {
        const string contentId = "918273645546372819";
        Assert.Equal(HttpStatusCode.Accepted, (await edge.Client.LikeAsync(contentId, Tokens.For(Users.Next()))).StatusCode);
        await edge.Client.GetAsync("/v1/unknown/918273645546372818");

        var metrics = await edge.Client.GetStringAsync("/metrics");

        Assert.Contains("""endpoint="/v1/likes/{contentId}""", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("91827364554637281", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountPublishedEventsByActionAndTimeThePublish()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await edge.Client.UnlikeAsync("5", Tokens.For(Users.Next()))).StatusCode);

        var metrics = await edge.Client.GetStringAsync("/metrics");

        Assert.Matches("""likes_edge_events_published_total\{action="unlike"\} [1-9]""", metrics);
        Assert.Matches("""likes_edge_publish_seconds_count [1-9]""", metrics);
        Assert.Contains("""likes_edge_publish_failures_total{reason="timeout"}""", metrics, StringComparison.Ordinal);
    }
}
