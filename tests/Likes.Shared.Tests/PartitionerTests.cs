using FsCheck;
using FsCheck.Xunit;
using Likes.Shared.Partitioning;
using Xunit;

namespace Likes.Shared.Tests;

public class PartitionerTests
{
    [Property]
    public void Partition_IsInRange_AndStable(long user, PositiveInt partitions)
    {
        var p = Partitioner.PartitionOf(user, partitions.Get);
        Assert.InRange(p, 0, partitions.Get - 1);
        Assert.Equal(p, Partitioner.PartitionOf(user, partitions.Get));
    }

    [Fact]
    public void Partition_IsTheDocumentedFunction()
    {
        // Pinned values: every process, every language, every version must agree (docs/architecture.md).
        Assert.Equal([6, 3, 5, 0, 6], new long[] { 1, 2, 3, 42, long.MaxValue }.Select(u => Partitioner.PartitionOf(u, 8)));
    }

    [Fact]
    public void Partition_SpreadsUsersEvenly()
    {
        var counts = new int[8];
        for (long u = 1; u <= 80_000; u++)
        {
            counts[Partitioner.PartitionOf(u, 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_000, 11_000));
    }
}
