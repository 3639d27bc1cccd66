using Likes.Bench.Fleet;
using Xunit;

namespace Likes.Bench.Tests;

public class MetricsSnapshotTests
{
    private const string Scrape = """
        # HELP likes_consumer_events_applied_total Events applied, by worker and action.
        # TYPE likes_consumer_events_applied_total counter
        likes_consumer_events_applied_total{worker="persister",action="like"} 1500
        likes_consumer_events_applied_total{worker="persister",action="unlike"} 25
        likes_persister_counter_writes_total 12
        likes_persister_transaction_seconds_bucket{le="+Inf"} 7
        likes_consumer_oldest_unapplied_age_seconds{worker="persister",partition="0"} NaN
        likes_consumer_batch_size_sum{worker="persister"} 1.5e3
        """;

    [Fact]
    public void Parse_SumsAMetricOverItsLabelSets()
        => Assert.Equal(1525, MetricsSnapshot.Parse(Scrape)["likes_consumer_events_applied_total"]);

    [Fact]
    public void Parse_ReadsPlainAndExponentValues_AndSkipsWhatIsNotANumber()
    {
        var snapshot = MetricsSnapshot.Parse(Scrape);

        Assert.Equal(12, snapshot["likes_persister_counter_writes_total"]);
        Assert.Equal(1500, snapshot["likes_consumer_batch_size_sum"]);
        Assert.Equal(0, snapshot["likes_consumer_oldest_unapplied_age_seconds"]);
    }

    [Fact]
    public void AMetricTheDaemonDoesNotExpose_IsZero()
        => Assert.Equal(0, MetricsSnapshot.Parse(Scrape)["likes_persister_rows_total"]);

    [Fact]
    public void Since_IsTheGrowthBetweenTwoScrapes()
    {
        var before = MetricsSnapshot.Parse("likes_persister_counter_writes_total 12");
        var after = MetricsSnapshot.Parse("likes_persister_counter_writes_total 112");

        Assert.Equal(100, after.Since(before, "likes_persister_counter_writes_total"));
    }
}
