using Likes.Bench.Load;
using Xunit;

namespace Likes.Bench.Tests;

public class ThinkTimeTests
{
    [Fact]
    public void Pauses_AverageTheMean_VaryWidely_AndNeverExceedEightMeans()
    {
        var mean = TimeSpan.FromMilliseconds(15);
        var random = new Random(5);
        var pauses = Enumerable.Range(0, 100_000).Select(_ => ThinkTime.Next(mean, random).TotalMilliseconds).ToList();

        Assert.InRange(pauses.Average(), 14.7, 15.3);
        Assert.All(pauses, p => Assert.InRange(p, 0, 8 * 15));
        // Exponential: about 63 % of the pauses are shorter than the mean, so clients that start together drift apart.
        Assert.InRange(pauses.Count(p => p < 15) / (double)pauses.Count, 0.62, 0.64);
    }
}
