using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Likes.Shared.Reheating;
using Xunit;

namespace Likes.Shared.Tests;

public class ReheatRequestTests
{
    [Property]
    public void Payload_RoundTrips(PositiveInt user, bool refresh)
    {
        var request = new ReheatRequest(user.Get, refresh);

        Assert.True(ReheatRequest.TryParse(Encoding.ASCII.GetBytes(request.Payload), out var parsed));
        Assert.Equal(request, parsed);
    }

    [Fact]
    public void PlainAndRefreshRequests_AreDedupedApart()
    {
        Assert.Equal(("42", "t:42"), (new ReheatRequest(42).Payload, new ReheatRequest(42).MessageId));
        Assert.Equal(("42 refresh", "r:42"), (new ReheatRequest(42, Refresh: true).Payload, new ReheatRequest(42, Refresh: true).MessageId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-4")]
    [InlineData("42 rebuild")]
    [InlineData(" refresh")]
    [InlineData("4 2")]
    [InlineData("9223372036854775808")]
    public void Anything_ElseIsRefused(string payload) => Assert.False(ReheatRequest.TryParse(Encoding.ASCII.GetBytes(payload), out _));
}
