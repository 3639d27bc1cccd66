using Likes.Bench.Load;
using Xunit;

namespace Likes.Bench.Tests;

public class ThroughputSeriesTests
{
    [Fact]
    public void Sample_IsTheRateSinceThePreviousSample()
    {
        var series = new ThroughputSeries();

        Assert.Equal(200, series.Sample(100, TimeSpan.FromSeconds(0.5)));
        Assert.Equal(50, series.Sample(150, TimeSpan.FromSeconds(1.5)));
        Assert.Equal([new SeriesPoint(0.5, 200), new SeriesPoint(1.5, 50)], series.Points);
    }

    [Fact]
    public void ASampleAtTimeZero_IsTheBaseline_NotARate()
    {
        var series = new ThroughputSeries();

        Assert.Equal(0, series.Sample(1_000_000, TimeSpan.Zero));
        Assert.Equal(10, series.Sample(1_000_010, TimeSpan.FromSeconds(1)));
        Assert.Single(series.Points);
    }
}
