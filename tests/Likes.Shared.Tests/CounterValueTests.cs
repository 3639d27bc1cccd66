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

    [Fact]
    public void ADeletedContent_IsWrittenDColonVersion_AndShowsZero()
    {
        var v = new CounterValue(31, 8, Deleted: true);
        Assert.Equal("d:8", v.ToString());
        Assert.True(CounterValue.TryParse("d:8", out var back));
        Assert.Equal(new CounterValue(0, 8, Deleted: true), back);
        Assert.Equal(0, back.Shown);
    }

    [Theory]
    [InlineData("d:")]
    [InlineData("dd:3")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData(":3")]
    [InlineData("-1:3")]
    [InlineData("1:x")]
    public void RejectsMalformed(string? text) => Assert.False(CounterValue.TryParse(text, out _));
}
