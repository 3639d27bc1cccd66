using Likes.Bench.Checks;
using Likes.Bench.Scenarios;
using Likes.Bench.Workload;
using static Likes.Bench.Report.RunResult;

namespace Likes.Bench.Report;

/// <summary>Scenario figures as the results file states them: rounded, named as the issue names them.</summary>
public static class ResultMapping
{
    public static FeedStateResult ToResult(this FeedStateFigures f, AnswersReport answers) => new(
        Round(f.System.PerSecond),
        Round(f.System.Latency.P50),
        Round(f.System.Latency.P99),
        Round(f.Baseline.PerSecond),
        Round(f.Baseline.Latency.P50),
        Round(f.Baseline.Latency.P99),
        Round(f.Ceiling.PerSecond),
        Round(f.Ceiling.Latency.P99),
        Ratio(f.System.PerSecond, f.Baseline.PerSecond),
        Ratio(f.System.PerSecond, f.Ceiling.PerSecond),
        f.System.Clients,
        FeedStateScenario.PageSize,
        Round(f.SystemOneClient.Latency.P50),
        Round(f.SystemOneClient.Latency.P99),
        Round(f.BaselineOneClient.Latency.P50),
        Round(f.BaselineOneClient.Latency.P99),
        f.SystemDegraded,
        f.BaselineDegraded,
        f.System.Failed + f.Baseline.Failed + f.Ceiling.Failed,
        CpuMsPer(f.SystemCpuSeconds, "edge", f.System.Ok),
        CpuMsPer(f.BaselineCpuSeconds, "edge", f.Baseline.Ok),
        f.SystemCpuSeconds,
        f.BaselineCpuSeconds,
        f.RedisCommands,
        f.PgStatements,
        answers.Facts,
        answers.Wrong,
        [.. new[] { f.SystemOneClient, f.BaselineOneClient, f.System, f.Baseline, f.Ceiling }.Select(From)]);

    public static IngestResult ToResult(this IngestFigures f, int clients, int rawInFlight) => new(
        Round(f.AcceptedPerSecond),
        Round(f.RawPublish.PerSecond),
        Ratio(f.AcceptedPerSecond, f.RawPublish.PerSecond),
        f.Edge.Ok,
        Round(f.Edge.PerSecond),
        Round(f.Edge.Seconds),
        Round(f.SecondsUntilApplied),
        clients,
        rawInFlight,
        f.Edge.Failed,
        Round(f.Edge.Latency.P50),
        Round(f.Edge.Latency.P99),
        Round(f.RawPublish.Latency.P50),
        Round(f.RawPublish.Latency.P99),
        CpuMsPer(f.CpuSeconds, "edge", f.Edge.Ok),
        Round(f.EdgePublishWaitMs),
        f.CpuSeconds,
        f.RawPublishCpuSeconds,
        [From(f.Edge), From(f.RawPublish)]);

    public static HotBurstResult ToResult(this HotBurstFigures f) => new(
        f.Burst.Likes,
        f.CounterWrites,
        Round(f.LikesPerCounterWrite),
        RoundOrNull(f.Burst.SecondsToExact),
        RoundOrNull(f.Burst.SecondsToExactInRedis),
        RoundOrNull(f.Burst.SecondsToExactInFeedState),
        Round(f.Burst.Load.Seconds),
        Round(f.Burst.Load.PerSecond),
        f.Transactions,
        f.Burst.CountChanges,
        f.Burst.Load.Clients,
        Round(f.Burst.Load.Latency.P50),
        Round(f.Burst.Load.Latency.P99),
        f.Burst.CounterWrites,
        f.Burst.MostCounterWritesInASecond);

    public static PeerSyncPgResult ToResult(this PeerFigures f) => new(
        Round(f.Burst.PerSecond),
        Round(f.Burst.Latency.P50),
        Round(f.Burst.Latency.P99),
        f.Burst.Ok,
        Round(f.Ingest.PerSecond),
        Round(f.Ingest.Latency.P50),
        Round(f.Ingest.Latency.P99),
        f.Ingest.Ok,
        f.Ingest.Failed + f.Burst.Failed,
        f.BurstCountExact,
        CpuMsPer(f.IngestCpuSeconds, "edge", f.Ingest.Ok),
        f.IngestCpuSeconds,
        [From(f.Ingest), From(f.Burst)]);

    /// <summary>The edge's own layers, then the full fleet from the ingest scenario, each against the ingest's raw publish.</summary>
    public static IReadOnlyList<IngestLayerResult> ToResult(this IReadOnlyList<LayerFigures> layers, IngestResult? ingest)
    {
        var raw = ingest?.RawPublishPerS ?? 0;
        IngestLayerResult Layer(string name, double perSecond, double p50, double p99, IReadOnlyDictionary<string, double> cpu, long likes)
            => new(name, Round(perSecond), Round(p50), Round(p99), Ratio(perSecond, raw), cpu.ToDictionary(c => c.Key, c => CpuMsPer(cpu, c.Key, likes)));

        var result = layers.Select(l => Layer(l.Name, l.Run.PerSecond, l.Run.Latency.P50, l.Run.Latency.P99, l.CpuSeconds, l.Run.Ok)).ToList();
        if (ingest is not null)
        {
            result.Add(Layer(FullFleet, ingest.AcceptedPerS, ingest.EdgeP50Ms, ingest.EdgeP99Ms, ingest.CpuSeconds, ingest.Accepted));
        }

        return result;
    }

    public const string FullFleet = "full fleet (applied by both workers)";

    /// <summary>The system's ingest and burst against the peer's, once both ran.</summary>
    public static void CompareWithPeer(this BenchResults r)
    {
        if (r.PeerSyncPg is not { } peer)
        {
            return;
        }

        if (r.Ingest is { } ingest)
        {
            r.Ingest = ingest with { RatioVsSyncPg = Ratio(ingest.AcceptedPerS, peer.IngestAcceptedPerS) };
        }

        if (r.HotBurst is { } burst)
        {
            r.HotBurst = burst with { RatioVsSyncPg = Ratio(burst.LikesPerSecond, peer.BurstAcceptedPerS), P99ShareOfSyncPg = Ratio(burst.P99Ms, peer.BurstP99Ms) };
        }
    }

    public static PersistResult ToResult(this PersistFigures f, int batchSize) => new(
        Round(f.RowsPerSecond), Round(f.RawRowsPerSecond), Ratio(f.RowsPerSecond, f.RawRowsPerSecond), f.Rows, batchSize,
        Round(f.MeasuredFromSeconds), Round(f.CommittedSeconds), Round(f.AckedSeconds), f.Transactions, Round(f.TransactionSeconds), f.CounterWrites, f.Statements, f.RedisCommands,
        f.DrainCpuSeconds, f.RawCpuSeconds);

    public static MemoryResult ToResult(this MemoryFigures f, LikeGraph graph, LoadFigures load)
    {
        var counters = f.Kind(MemoryScenario.Counters);
        var timelines = f.Kind(MemoryScenario.Timelines);
        var other = f.Kind(MemoryScenario.Other);
        return new MemoryResult(
            graph.Likes, f.Shape.Users, f.Shape.Contents, graph.ActiveUsers.Count(),
            f.Naive.Bytes, f.SystemBytes, f.SavingPct, f.Naive.Sets, f.Naive.UsedMemoryDelta,
            counters.Keys, counters.Bytes, timelines.Keys, timelines.Bytes, other.Keys, other.Bytes,
            Round((double)f.SystemBytes / graph.Likes), Round((double)f.Naive.Bytes / graph.Likes), Round(load.Seconds));
    }

    public static ExactnessResult ToResult(this ExactnessReport r, ReadsReport reads)
        => new(r.DriftContents, r.Lost, r.Extra, r.ExpectedLikes, r.Contents, reads.Wrong, reads.Users);

    private static double Ratio(double value, double baseline) => baseline > 0 ? Math.Round(value / baseline, 3) : 0;

    private static double CpuMsPer(IReadOnlyDictionary<string, double> cpu, string process, long requests)
        => requests > 0 && cpu.TryGetValue(process, out var seconds) ? Math.Round(seconds * 1000 / requests, 3) : 0;
}
