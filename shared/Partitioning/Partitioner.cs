using System.Buffers.Binary;
using System.IO.Hashing;

namespace Likes.Shared.Partitioning;

/// <summary>
/// The stable partition of a user: <c>XxHash3_64(user id as 8 little-endian bytes, seed 0) mod P</c>.
/// Every process computes the same value, so a user's events always land on one partition and are
/// applied in the order they were accepted. Changing P moves users between partitions: drain the stream first.
/// </summary>
public static class Partitioner
{
    public static int PartitionOf(long userId, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, userId);
        return (int)(XxHash3.HashToUInt64(bytes) % (ulong)partitions);
    }
}
