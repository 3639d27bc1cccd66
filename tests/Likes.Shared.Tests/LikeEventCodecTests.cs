using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Likes.Shared.Events;
using Xunit;

namespace Likes.Shared.Tests;

public class LikeEventCodecTests
{
    [Fact]
    public void Encode_ThenDecode_GivesTheSameEvent()
    {
        var e = new LikeEvent(Guid.CreateVersion7(), long.MaxValue, 7, LikeAction.Unlike, 1_764_000_000_123);
        Assert.True(LikeEventCodec.TryDecode(LikeEventCodec.Encode(e), out var back, out var reason), reason);
        Assert.Equal(e, back);
    }

    [Fact]
    public void Decode_ReadsEscapedNamesAndValues_AsTheirText()
    {
        // Any JSON writer may escape; "\u0069d" is "id", "\u004C" is "L".
        var json = "{\"v\":1,\"\\u0069d\":\"0193a0b0c0d0e0f0011223344556677\\u0038\",\"u\":5,\"c\":6,\"a\":\"\\u004C\",\"t\":7,\"extra\":[1]}";
        Assert.True(LikeEventCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var e, out var reason), reason);
        Assert.Equal(new LikeEvent(Guid.ParseExact("0193a0b0c0d0e0f00112233445566778", "N"), 5, 6, LikeAction.Like, 7), e);
    }

    [Property]
    public void RoundTrip_HoldsForAnyValidEvent(PositiveInt user, PositiveInt content, bool like, PositiveInt at)
    {
        var e = new LikeEvent(Guid.NewGuid(), user.Get * 1_000_003L, content.Get, like ? LikeAction.Like : LikeAction.Unlike, at.Get);
        Assert.True(LikeEventCodec.TryDecode(LikeEventCodec.Encode(e), out var back, out _));
        Assert.Equal(e, back);
    }

    [Theory]
    [InlineData(LikeAction.Erase, 42, 0)]
    [InlineData(LikeAction.Hide, 42, 0)]
    [InlineData(LikeAction.Show, 42, 0)]
    [InlineData(LikeAction.DeleteContent, 0, 42)]
    public void EveryAction_RoundTrips_WithZeroForWhatItDoesNotName(LikeAction action, long user, long content)
    {
        var e = new LikeEvent(Guid.CreateVersion7(), user, content, action, 1_764_000_000_123);
        Assert.True(LikeEventCodec.TryDecode(LikeEventCodec.Encode(e), out var back, out var reason), reason);
        Assert.Equal(e, back);
    }

    [Theory]
    [InlineData("", "empty payload")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":7,\"a\":\"E\",\"t\":1}", "field 'c' must be 0 for action 'E'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":0,\"c\":7,\"a\":\"H\",\"t\":1}", "field 'u'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":3,\"c\":7,\"a\":\"D\",\"t\":1}", "field 'u' must be 0 for action 'D'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":0,\"c\":0,\"a\":\"D\",\"t\":1}", "field 'c'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":1,\"a\":\"LU\",\"t\":1}", "unknown action")]
    [InlineData("garbage", "malformed json")]
    [InlineData("[1,2]", "not a json object")]
    [InlineData("{\"v\":2,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":1,\"a\":\"L\",\"t\":1}", "unknown version 2")]
    [InlineData("{\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":1,\"a\":\"L\",\"t\":1}", "missing field 'v'")]
    [InlineData("{\"v\":1,\"u\":1,\"c\":1,\"a\":\"L\",\"t\":1}", "missing field 'id'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":0,\"c\":1,\"a\":\"L\",\"t\":1}", "field 'u'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":-5,\"a\":\"L\",\"t\":1}", "field 'c'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":1,\"a\":\"X\",\"t\":1}", "unknown action")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":1,\"t\":1}", "missing field 'a'")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":\"1\",\"c\":1,\"a\":\"L\",\"t\":1}", "malformed")]
    [InlineData("{\"v\":1,\"id\":\"nope\",\"u\":1,\"c\":1,\"a\":\"L\",\"t\":1}", "malformed field")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":99999999999999999999,\"c\":1,\"a\":\"L\",\"t\":1}", "malformed")]
    [InlineData("{\"v\":1} {}", "malformed json")]
    [InlineData("{\"v\":1,\"id\":\"0193a0b0c0d0e0f00112233445566778\",\"u\":1,\"c\":1,\"a\":\"L\",\"t\":253402300800000}", "field 't'")]
    public void Decode_RejectsGarbage_WithAReason(string payload, string expectedReason)
    {
        Assert.False(LikeEventCodec.TryDecode(Encoding.UTF8.GetBytes(payload), out _, out var reason));
        Assert.Contains(expectedReason, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsOversizedPayloads()
    {
        var big = new byte[LikeEventCodec.MaxEncodedBytes + 1];
        Assert.False(LikeEventCodec.TryDecode(big, out _, out var reason));
        Assert.Contains("exceeds", reason, StringComparison.Ordinal);
    }

    [Property(MaxTest = 2000)]
    public void Decode_NeverThrows_OnRandomBytes(byte[] bytes)
    {
        var ok = LikeEventCodec.TryDecode(bytes ?? [], out _, out var reason);
        Assert.True(ok || reason.Length > 0);
    }
}
