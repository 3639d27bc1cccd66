using System.Buffers.Binary;

namespace Likes.Shared.Bloom;

/// <summary>
/// The size of one user's Bloom filter: m bits, k probes per id, and the number of ids it was sized for at
/// its false-positive rate. Stored in Redis as a String: a 16-byte header of four big-endian unsigned 32-bit
/// integers (m, k, capacity, ids inserted so far), then the m bits (bit offset 128 + position, Redis's
/// SETBIT/GETBIT order). Readers take m and k from the header, so filters of any size coexist.
/// </summary>
public readonly record struct BloomShape(uint Bits, int Hashes, uint Capacity)
{
    public const int HeaderBytes = 16;

    /// <summary>The header's fields, as bit offsets (what Redis's BITFIELD takes): m, k, capacity, ids inserted.</summary>
    public const int BitsField = 0, HashesField = 32, CapacityField = 64, InsertedField = 96;

    /// <summary>The bit offset of position 0: the bits follow the header.</summary>
    public const long FirstBit = HeaderBytes * 8;

    /// <summary>Redis addresses bits of a String up to 2^32 − 1.</summary>
    public const uint MaxBits = (uint)(uint.MaxValue - FirstBit);

    public const int MaxHashes = 32;

    /// <summary>The bytes of the whole filter in Redis, header included.</summary>
    public int Bytes => HeaderBytes + (int)((Bits + 7L) / 8);

    /// <summary>
    /// The optimal shape for <paramref name="capacity"/> ids at <paramref name="falsePositiveRate"/>:
    /// m = ⌈−n·ln p / (ln 2)²⌉ bits and k = round(m/n · ln 2) probes (9.6 bits and 7 probes per id at 1 %).
    /// A capacity too large for one Redis String gets the largest filter there is (and a higher rate).
    /// </summary>
    public static BloomShape For(long capacity, double falsePositiveRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (falsePositiveRate is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(falsePositiveRate), falsePositiveRate, "must be between 0 and 1");
        }

        var n = Math.Min(capacity, uint.MaxValue);
        var bits = Math.Clamp(Math.Ceiling(-n * Math.Log(falsePositiveRate) / (Math.Log(2) * Math.Log(2))), 64, MaxBits);
        var hashes = (int)Math.Clamp(Math.Round(bits / n * Math.Log(2)), 1, MaxHashes);
        return new BloomShape((uint)bits, hashes, (uint)n);
    }

    /// <summary>Reads a filter's header: its shape and the ids inserted so far. False when there is no filter.</summary>
    public static bool TryRead(ReadOnlySpan<byte> header, out BloomShape shape, out uint inserted)
    {
        shape = default;
        inserted = 0;
        if (header.Length < HeaderBytes)
        {
            return false;
        }

        var bits = BinaryPrimitives.ReadUInt32BigEndian(header[(BitsField / 8)..]);
        var hashes = BinaryPrimitives.ReadUInt32BigEndian(header[(HashesField / 8)..]);
        if (bits == 0 || hashes is 0 or > MaxHashes)
        {
            return false;
        }

        shape = new BloomShape(bits, (int)hashes, BinaryPrimitives.ReadUInt32BigEndian(header[(CapacityField / 8)..]));
        inserted = BinaryPrimitives.ReadUInt32BigEndian(header[(InsertedField / 8)..]);
        return true;
    }

    /// <summary>Writes the header for this shape with <paramref name="inserted"/> ids.</summary>
    public void Write(Span<byte> header, uint inserted)
    {
        BinaryPrimitives.WriteUInt32BigEndian(header[(BitsField / 8)..], Bits);
        BinaryPrimitives.WriteUInt32BigEndian(header[(HashesField / 8)..], (uint)Hashes);
        BinaryPrimitives.WriteUInt32BigEndian(header[(CapacityField / 8)..], Capacity);
        BinaryPrimitives.WriteUInt32BigEndian(header[(InsertedField / 8)..], inserted);
    }
}
