namespace Likes.Shared.Bloom;

/// <summary>
/// A Bloom filter being built in memory, byte for byte what Redis will hold (<see cref="BloomShape"/>):
/// ids are added as they stream in, so building one costs the filter's size, never the list of ids.
/// </summary>
public sealed class BloomBitmap
{
    private readonly byte[] _bytes;
    private uint _inserted;

    public BloomBitmap(BloomShape shape)
    {
        Shape = shape;
        _bytes = new byte[shape.Bytes];
    }

    public BloomShape Shape { get; }

    public uint Inserted => _inserted;

    public void Add(long contentId)
    {
        var hash = BloomHash.Of(contentId);
        for (var i = 0; i < Shape.Hashes; i++)
        {
            var bit = BloomShape.FirstBit + (long)hash.Position(i, Shape.Bits);
            // Redis numbers the bits of a byte from the most significant (SETBIT offset 0 is 0x80 of byte 0).
            _bytes[bit >> 3] |= (byte)(0x80 >> (int)(bit & 7));
        }

        _inserted = _inserted == uint.MaxValue ? _inserted : _inserted + 1;
    }

    public bool MightContain(long contentId) => MightContain(_bytes, Shape, contentId);

    /// <summary>Whether a filter's bytes (as Redis holds them, header first) say "maybe" for the id.</summary>
    public static bool MightContain(ReadOnlySpan<byte> filter, BloomShape shape, long contentId)
    {
        var hash = BloomHash.Of(contentId);
        for (var i = 0; i < shape.Hashes; i++)
        {
            var bit = BloomShape.FirstBit + (long)hash.Position(i, shape.Bits);
            if ((filter[(int)(bit >> 3)] & (0x80 >> (int)(bit & 7))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The filter as Redis stores it, header (with the ids inserted so far) included.</summary>
    public ReadOnlyMemory<byte> ToBytes()
    {
        Shape.Write(_bytes, _inserted);
        return _bytes;
    }
}
