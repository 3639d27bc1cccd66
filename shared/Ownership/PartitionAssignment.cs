namespace Likes.Shared.Ownership;

/// <summary>
/// Which partitions a replica should hold: partition p goes to the member at index p mod n of the members in their
/// agreed order. A pure function of the membership, so replicas that read the same membership agree; while their
/// readings differ (a member just joined or left) the leases keep any partition to one holder.
/// </summary>
public static class PartitionAssignment
{
    public static IReadOnlySet<int> For(IReadOnlyList<string> members, string self, int partitions)
    {
        var index = -1;
        for (var i = 0; i < members.Count; i++)
        {
            if (string.Equals(members[i], self, StringComparison.Ordinal))
            {
                index = i;
            }
        }

        return index < 0
            ? new HashSet<int>()
            : Enumerable.Range(0, partitions).Where(p => p % members.Count == index).ToHashSet();
    }
}
