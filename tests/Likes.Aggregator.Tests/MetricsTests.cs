using System.Globalization;
using System.Text.RegularExpressions;
using Likes.Fixtures;
using Xunit;

namespace Likes.Aggregator.Tests;

public class MetricsTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly string[] Expected =
    [
        "likes_consumer_events_applied_total",
        "likes_consumer_batch_size",
        "likes_consumer_apply_seconds",
        "likes_consumer_pending",
        "likes_consumer_oldest_unapplied_age_seconds",
        "likes_aggregator_changes_after_collapse_total",
        "likes_aggregator_timeline_changes_total",
    ];

    [Fact]
    public async Task MetricsEndpoint_AfterSomeEvents_ExposesEveryAggregatorMetric()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        using var http = new HttpClient { BaseAddress = aggregator.BaseAddress };
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var likesBefore = AppliedLikes(await ScrapeAsync(http));

        await publisher.PublishAsync([publisher.Like(801, 1), publisher.Like(802, 1), publisher.Unlike(801, 1)]);
        await Aggregators.CaughtUpAsync(publisher);
        var text = await ScrapeAsync(http);

        var missing = Expected.Where(m => !Regex.IsMatch(text, $"(?m)^{m}(_count|_sum|_bucket)?({{[^}}]*}})? ")).ToList();
        Assert.True(missing.Count == 0, $"missing from /metrics: {string.Join(", ", missing)}");
        Assert.True(AppliedLikes(text) >= likesBefore + 2, "the applied likes were counted");
    }

    private static Task<string> ScrapeAsync(HttpClient http) => http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    /// <summary>The process-wide counter (other tests' hosts add to it too, so only growth is asserted).</summary>
    private static double AppliedLikes(string text)
    {
        var match = Regex.Match(text, "(?m)^likes_consumer_events_applied_total\\{worker=\"aggregator\",action=\"like\"\\} ([0-9.e+]+)$");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
