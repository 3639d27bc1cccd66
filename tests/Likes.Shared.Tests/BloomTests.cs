using FsCheck;
using FsCheck.Xunit;
using Likes.Shared.Bloom;
using Xunit;

namespace Likes.Shared.Tests;

public class BloomTests
{
    [Fact]
    public void Hash_IsTheDocumentedFunction()
    {
        // Pinned: filters in Redis, the Lua scripts and every process must agree (docs/redis.md).
        Assert.Equal(new BloomHash(1082595035, 186083761), BloomHash.Of(1));
        Assert.Equal(new BloomHash(1022435796, 1050447111), BloomHash.Of(42));
        Assert.Equal(new BloomHash(3661851060, 1300274887), BloomHash.Of(long.MaxValue));
    }

    [Property]
    public void Hash_SecondHalfIsOdd(long contentId) => Assert.Equal(1u, BloomHash.Of(contentId).H2 & 1);

    [Fact]
    public void Shape_AtOnePercent_IsNinePointSixBitsAndSevenProbesPerId()
    {
        var shape = BloomShape.For(1000, 0.01);

        Assert.Equal((9586u, 7, 1000u), (shape.Bits, shape.Hashes, shape.Capacity));
        Assert.Equal(16 + 1199, shape.Bytes);
    }

    [Fact]
    public void Shape_TooLargeForARedisString_IsTheLargestThereIs()
    {
        var shape = BloomShape.For(long.MaxValue, 0.0001);

        Assert.Equal(BloomShape.MaxBits, shape.Bits);
        Assert.InRange(shape.Hashes, 1, BloomShape.MaxHashes);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void Shape_RefusesARateOutsideZeroAndOne(double rate)
        => Assert.Throws<ArgumentOutOfRangeException>(() => BloomShape.For(10, rate));

    [Property(MaxTest = 50)]
    public void Bitmap_NeverForgetsAnId(NonEmptyArray<long> ids)
    {
        var bitmap = new BloomBitmap(BloomShape.For(ids.Get.Length, 0.01));
        foreach (var id in ids.Get)
        {
            bitmap.Add(id);
        }

        Assert.All(ids.Get, id => Assert.True(bitmap.MightContain(id)));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.001)]
    public void Bitmap_SaysMaybeForStrangersAtAboutItsRate(double rate)
    {
        const int likes = 5000;
        var bitmap = new BloomBitmap(BloomShape.For(likes, rate));
        for (long id = 1; id <= likes; id++)
        {
            bitmap.Add(id * 7919);
        }

        const int strangers = 200_000;
        var maybe = 0;
        for (long id = 1; id <= strangers; id++)
        {
            maybe += bitmap.MightContain((id * 7919) + 1) ? 1 : 0;
        }

        Assert.InRange((double)maybe / strangers, rate / 2, rate * 1.5);
    }

    [Fact]
    public void Bitmap_BytesCarryTheHeaderRedisScriptsRead()
    {
        var shape = BloomShape.For(100, 0.01);
        var bitmap = new BloomBitmap(shape);
        bitmap.Add(7);
        bitmap.Add(8);

        var bytes = bitmap.ToBytes().Span;

        Assert.Equal(shape.Bytes, bytes.Length);
        Assert.True(BloomShape.TryRead(bytes, out var read, out var inserted));
        Assert.Equal((shape, 2u), (read, inserted));
        Assert.False(BloomShape.TryRead(bytes[..15], out _, out _));
        Assert.False(BloomShape.TryRead(new byte[16], out _, out _));
    }

    [Fact]
    public void Bitmap_SetsBitsInRedisOrder_MostSignificantFirst()
    {
        var shape = BloomShape.For(1, 0.5);
        var bitmap = new BloomBitmap(shape);
        bitmap.Add(1);
        var bytes = bitmap.ToBytes().Span;

        var hash = BloomHash.Of(1);
        for (var i = 0; i < shape.Hashes; i++)
        {
            var bit = BloomShape.FirstBit + (long)hash.Position(i, shape.Bits);
            Assert.NotEqual(0, bytes[(int)(bit / 8)] & (0x80 >> (int)(bit % 8)));
        }
    }
}
