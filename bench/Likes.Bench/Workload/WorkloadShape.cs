namespace Likes.Bench.Workload;

/// <summary>
/// The size of a generated like graph (docs/benchmarks.md, "memory"): how many likes, users and contents,
/// and the share of users who are active (whose timelines the system keeps warm in Redis).
/// </summary>
public sealed record WorkloadShape(int Likes, int Users, int Contents, double ActiveShare)
{
    /// <summary>Every n-th user is active, so the active set is spread evenly over the ids.</summary>
    public int ActiveEvery => Math.Max(1, (int)Math.Round(1 / ActiveShare));
}
