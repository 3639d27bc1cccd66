using Likes.Bench.Scenarios;
using Likes.Bench.Workload;

namespace Likes.Bench.Run;

/// <summary>
/// How big each scenario runs: <see cref="Quick"/> fits in five minutes on a 2-core machine with the stack
/// start, <see cref="Full"/> is the documented workload. docs/benchmarks.md lists both; change them together.
/// </summary>
public sealed record BenchSizes(
    string Mode,
    WorkloadShape Memory,
    FeedStateSizes FeedState,
    IngestSizes Ingest,
    BurstSizes Burst,
    int PersistEvents,
    int PersistBatch)
{
    public static BenchSizes Quick { get; } = new(
        "quick",
        new WorkloadShape(Likes: 200_000, Users: 10_000, Contents: 5_000, ActiveShare: 0.1),
        new FeedStateSizes(Clients: 16, Warmup: TimeSpan.FromSeconds(3), OneClient: TimeSpan.FromSeconds(4), Measure: TimeSpan.FromSeconds(12), Rounds: 4, SpotChecks: 200),
        new IngestSizes(Users: 20_000, Contents: 5_000, Clients: 64, UnlikeShare: 0.1, Warmup: TimeSpan.FromSeconds(10), Measure: TimeSpan.FromSeconds(15), RawInFlight: 256, RawMeasure: TimeSpan.FromSeconds(10)),
        new BurstSizes(Likes: 10_000, Clients: 64),
        PersistEvents: 50_000,
        PersistBatch: 1000);

    public static BenchSizes Full { get; } = new(
        "full",
        new WorkloadShape(Likes: 2_000_000, Users: 100_000, Contents: 50_000, ActiveShare: 0.1),
        new FeedStateSizes(Clients: 16, Warmup: TimeSpan.FromSeconds(5), OneClient: TimeSpan.FromSeconds(10), Measure: TimeSpan.FromSeconds(60), Rounds: 6, SpotChecks: 1_000),
        new IngestSizes(Users: 100_000, Contents: 50_000, Clients: 64, UnlikeShare: 0.1, Warmup: TimeSpan.FromSeconds(15), Measure: TimeSpan.FromSeconds(60), RawInFlight: 256, RawMeasure: TimeSpan.FromSeconds(15)),
        new BurstSizes(Likes: 50_000, Clients: 64),
        PersistEvents: 200_000,
        PersistBatch: 1000);
}
