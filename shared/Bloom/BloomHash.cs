using System.Buffers.Binary;
using System.IO.Hashing;

namespace Likes.Shared.Bloom;

/// <summary>
/// The two 32-bit hashes of a content id from which every Bloom filter takes its bit positions
/// (Kirsch–Mitzenmacher double hashing): position i of k is <c>(H1 + i × H2) mod m</c>, where H1 and H2 are
/// the low and high halves of <c>XxHash3_64(content id as 8 little-endian bytes, seed <see cref="Seed"/>)</c>,
/// H2 forced odd so that no id puts all k probes on one bit. The same function in every process and in the
/// Redis scripts (which get H1 and H2 as arguments and do the arithmetic exactly: below 2^38, within a double).
/// A unit test pins its values: changing it would make every filter in Redis answer wrongly.
/// </summary>
public readonly record struct BloomHash(uint H1, uint H2)
{
    /// <summary>Not the partitioner's seed (0): filter positions must not correlate with partitions.</summary>
    public const long Seed = 0x4C696B6573;

    public static BloomHash Of(long contentId)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, contentId);
        var hash = XxHash3.HashToUInt64(bytes, Seed);
        return new BloomHash((uint)hash, (uint)(hash >> 32) | 1);
    }

    /// <summary>The bit (0 … bits − 1) that probe <paramref name="i"/> sets or tests.</summary>
    public ulong Position(int i, uint bits) => ((ulong)H1 + ((ulong)(uint)i * H2)) % bits;
}
