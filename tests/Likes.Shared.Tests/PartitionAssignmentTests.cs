using FsCheck;
using FsCheck.Xunit;
using Likes.Shared.Ownership;
using Xunit;

namespace Likes.Shared.Tests;

public class PartitionAssignmentTests
{
    [Property]
    public void EveryPartition_GoesToExactlyOneMember(PositiveInt members, PositiveInt partitions)
    {
        var names = Enumerable.Range(0, Math.Min(members.Get, 50)).Select(i => $"replica-{i:D3}").ToList();
        var shares = names.Select(n => PartitionAssignment.For(names, n, partitions.Get % 1024 + 1)).ToList();

        Assert.Equal(Enumerable.Range(0, partitions.Get % 1024 + 1), shares.SelectMany(s => s).Order());
    }

    [Fact]
    public void Shares_DifferByAtMostOne()
    {
        string[] names = ["a", "b", "c"];

        Assert.Equal([3, 3, 2], names.Select(n => PartitionAssignment.For(names, n, 8).Count));
    }

    [Fact]
    public void AReplicaNotInTheMembership_HoldsNothing()
        => Assert.Empty(PartitionAssignment.For(["a", "b"], "c", 8));

    [Fact]
    public void Membership_KeepsTheLiveInOneOrder_AndDropsTheExpired()
    {
        var membership = Membership.Parse("5000 b\n900 dead\n7000 a"u8).Renew("c", 9000, nowMs: 1000);

        Assert.Equal(["a", "b", "c"], membership.Members);
        Assert.Equal(["a", "b", "c"], Membership.Parse(membership.ToBytes()).Members);
        Assert.Equal(["a", "c"], membership.Leave("b").Members);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("x holder")]
    [InlineData("12 ")]
    [InlineData("-5 holder")]
    public void LeaseRecord_RefusesWhatItDidNotWrite(string text) => Assert.False(LeaseRecord.TryParse(text, out _));

    [Fact]
    public void LeaseRecord_ReadsBackWhatItWrote()
    {
        Assert.True(LeaseRecord.TryParse(new LeaseRecord("host-1 a", 1_764_000_000_123).ToBytes(), out var record));
        Assert.Equal(new LeaseRecord("host-1 a", 1_764_000_000_123), record);
        Assert.True(record.ExpiredAt(1_764_000_000_123));
        Assert.False(record.ExpiredAt(1_764_000_000_122));
    }
}
