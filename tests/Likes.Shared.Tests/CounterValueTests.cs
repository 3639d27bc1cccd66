using Xunit;

namespace Likes.Shared.Tests;

public class CounterValueTests
{
    [Fact]
    public void RoundTrips()
    {
        var v = new CounterValue(31, 7);
        Assert.True(CounterValue.TryParse(v.ToString(), out var back));
        Assert.Equal(v, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData(":3")]
    [InlineData("-1:3")]
    [InlineData("1:x")]
    public void RejectsMalformed(string? text) => Assert.False(CounterValue.TryParse(text, out _));
}
