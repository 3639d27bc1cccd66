using Likes.Bench.Report;

namespace Likes.Bench.Tests;

/// <summary>A results file as a run would fill it, every scenario present; tests change what they look at.</summary>
public static class Results
{
    public static BenchResults All() => new()
    {
        Run = new RunInfo("quick", "./likes bench --quick", DateTimeOffset.UnixEpoch, 120),
        Machine = new Machine(2, "AMD EPYC", 23.5, ".NET 10.0", "Linux", "2026-11-24 19:00 UTC", "7.0.15", "15.18", "2.9.10"),
        FeedState = new FeedStateResult(9000, 1.2, 4.5, 2500, 3.5, 40, 17000, 6, 3.6, 0.53, 16, 20, 0.2, 2, 1.1, 12, 0, 0, 0, 0.07, 0.16,
            new Dictionary<string, double> { ["edge"] = 4.4 }, new Dictionary<string, double> { ["edge"] = 3.8 }, [], [], 8000, 0, []),
        Ingest = new IngestResult(3000, 60000, 0.05, 45000, 3100, 15, 15.5, 64, 256, 0, 12, 90, 2.5, 14, 0.06, 3.1, new Dictionary<string, double>(), new Dictionary<string, double>(), [], 1.5),
        HotBurst = new HotBurstResult(10000, 98, 102.04, 0.12, 0.1, 0.12, 2.6, 3800, 98, 98, 64, 12, 40, 30, 10, 7.5, 0.1),
        PeerSyncPg = new PeerSyncPgResult(500, 120, 400, 10000, 2000, 30, 90, 30000, 0, true, 0.08, new Dictionary<string, double>(), []),
        Persist = new PersistResult(12000, 45000, 0.27, 50000, 1000, 0.2, 4, 4.1, 14, 2.8, 47000, [], [],
            new Dictionary<string, double> { ["load generator"] = 3.5 }, new Dictionary<string, double> { ["load generator"] = 1.1 }),
        Memory = new MemoryResult(200000, 10000, 5000, 1000, 4_500_000, 800_000, 82.2, 5000, 4_400_000, 4998, 440_000, 1000, 362_000, 0, 0, 4, 22.5, 3.2),
        Exactness = new ExactnessResult(0, 0, 0, 80000, 4700, 0, 2000),
    };
}
