using System.Text.RegularExpressions;
using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>/metrics: the read path's series, with labels from small fixed sets and never an id.</summary>
public sealed class ReadMetricsTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    [Fact]
    public async Task Metrics_ExposeTheReadPathsSeriesFromTheStart()
    {
        var metrics = await edge.Client.GetStringAsync("/metrics");

        foreach (var reason in new[] { "budget", "postgres", "redis" })
        {
            Assert.Contains($$"""likes_edge_degraded_reads_total{reason="{{reason}}"}""", metrics, StringComparison.Ordinal);
        }

        foreach (var kind in new[] { "counts", "liked", "my_likes", "page" })
        {
            Assert.Contains($$"""likes_edge_fallback_queries_total{kind="{{kind}}"}""", metrics, StringComparison.Ordinal);
        }

        foreach (var answer in new[] { "definite_no", "maybe", "false_positive" })
        {
            Assert.Contains($$"""likes_edge_bloom_total{answer="{{answer}}"}""", metrics, StringComparison.Ordinal);
        }

        Assert.Contains("likes_edge_ghost_cache_hits_total", metrics, StringComparison.Ordinal);
        Assert.Contains("""likes_edge_read_facts_total{source="redis"}""", metrics, StringComparison.Ordinal);
        Assert.Contains("""likes_edge_read_facts_total{source="postgres"}""", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountGhostHitsAndFactsBySource_AndNeverNameAnId()
    {
        const long ghost = 918273645546372811;
        var user = Users.Next();
        await edge.Store.TimelineAsync(user, TimelineState.Complete, []);
        var token = Tokens.For(user);
        await edge.Client.FeedStateOkAsync(token, ghost);
        var before = Value(await edge.Client.GetStringAsync("/metrics"), "likes_edge_ghost_cache_hits_total");

        await edge.Client.FeedStateOkAsync(token, ghost);

        var metrics = await edge.Client.GetStringAsync("/metrics");
        Assert.True(Value(metrics, "likes_edge_ghost_cache_hits_total") >= before + 1);
        Assert.True(Value(metrics, """likes_edge_read_facts_total{source="redis"}""") >= 2);
        Assert.Contains("""endpoint="/v1/feed-state""", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("91827364554637281", metrics, StringComparison.Ordinal);
    }

    private static double Value(string metrics, string series)
        => double.Parse(Regex.Match(metrics, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
