using System.Globalization;
using Likes.Bench.Diagnostics;
using Likes.Shared;

namespace Likes.Bench.Report;

/// <summary>
/// The benchmark issue's goals, judged "met" or "short" from one run's results, each with the measured
/// evidence of what bounds it. The goals are fixed here; a short one is explained, never lowered.
/// </summary>
public static class Goals
{
    public static IReadOnlyList<GoalResult> Evaluate(BenchResults r)
    {
        var cores = r.Machine.Cores;
        return
        [
            Judge("feed_state", "ratio_vs_pg >= 3 and system_p99_ms <= 5", r.FeedState, f => f.RatioVsPg >= 3 && f.SystemP99Ms <= 5,
                f => $"ratio_vs_pg {f.RatioVsPg:F2}, system_p99_ms {f.SystemP99Ms:F2} ({f.SystemRps:N0} vs {f.PgBaselineRps:N0} pages/s)",
                f => $"{f.Clients} clients on {cores} cores: the edge spends {f.SystemEdgeCpuMsPerRequest:F2} ms CPU per page "
                    + $"(PostgreSQL edge {f.PgBaselineEdgeCpuMsPerRequest:F2}); one client alone: p99 {f.OneClientSystemP99Ms:F2} ms; "
                    + $"the edge reaches {f.ShareOfCeiling:P0} of the direct-Redis ceiling ({f.RedisCeilingRps:N0}/s); {Share(f.SystemCpuSeconds)}"),
            Judge("ingest", "ratio_vs_raw_publish >= 0.25", r.Ingest, f => f.RatioVsRawPublish >= 0.25,
                f => $"ratio_vs_raw_publish {f.RatioVsRawPublish:F2} ({f.AcceptedPerS:N0} vs {f.RawPublishPerS:N0} events/s)",
                f => $"a write waits {f.EdgeP50Ms:F1} ms at p50 through the edge, {f.EdgePublishWaitMs:F1} ms of it (mean) for JetStream's ack; the edge spends {f.EdgeCpuMsPerLike:F2} ms CPU per like on {cores} cores shared with the workers and the load generator "
                    + $"({Cpu(f.CpuSeconds)}); accepted {f.AcceptedPerSWhileLoading:N0}/s while loading, all applied {f.SecondsUntilApplied - f.LoadSeconds:F1} s after the load; {Share(f.CpuSeconds)}"),
            Judge("hot_burst", "likes_per_incrby >= 100 and seconds_to_exact <= 10", r.HotBurst, f => f.LikesPerIncrby >= 100 && f.SecondsToExact <= 10,
                f => $"likes_per_incrby {f.LikesPerIncrby:F1}, seconds_to_exact {f.SecondsToExact?.ToString("F2", CultureInfo.InvariantCulture) ?? "never (not exact in time)"}",
                f => $"{f.Likes:N0} likes arrived at {f.LikesPerSecond:N0}/s through the edge; the persister committed {f.PersisterTransactions:N0} transactions "
                    + $"meanwhile; a content's counter is written at most once per Persister:CounterWriteInterval (100 ms), so likes per write = arrival rate x 0.1 s "
                    + $"(Redis saw {f.RedisCounterWrites:N0} writes of the hot counter, at most {f.MostCounterWritesInASecond} in a second)"),
            Judge("peer: hot burst", "hot_burst.ratio_vs_sync_pg >= 5 and p99 <= 1/5 of the peer's", r.PeerSyncPg is null ? null : r.HotBurst,
                f => f.RatioVsSyncPg >= 5 && f.P99ShareOfSyncPg <= 0.2,
                f => $"ratio_vs_sync_pg {f.RatioVsSyncPg:F2} ({f.LikesPerSecond:N0} vs {r.PeerSyncPg!.BurstAcceptedPerS:N0} likes/s on one content), p99 {f.P99Ms:F1} vs {r.PeerSyncPg.BurstP99Ms:F1} ms",
                f => $"the peer commits every like and waits for the count row's lock: p50 {r.PeerSyncPg!.BurstP50Ms:F1} ms with {f.Clients} clients; "
                    + $"the system's write is a JetStream publish (p50 {f.P50Ms:F1} ms); peer count exact: {r.PeerSyncPg.BurstCountExact}"),
            Judge("peer: ingest", "ingest.ratio_vs_sync_pg >= 1.5", r.PeerSyncPg is null ? null : r.Ingest, f => f.RatioVsSyncPg >= 1.5,
                f => $"ratio_vs_sync_pg {f.RatioVsSyncPg:F2} ({f.AcceptedPerS:N0} applied vs {r.PeerSyncPg!.IngestAcceptedPerS:N0} committed likes/s), p99 {f.EdgeP99Ms:F1} vs {r.PeerSyncPg.IngestP99Ms:F1} ms",
                f => $"the peer's edge spends {r.PeerSyncPg!.EdgeCpuMsPerLike:F2} ms CPU per like, the system's {f.EdgeCpuMsPerLike:F2}; peer CPU: {Cpu(r.PeerSyncPg.IngestCpuSeconds)}; "
                    + "the system's rate counts until both workers applied every like, the peer's until each commit"),
            Judge("persist", "ratio_vs_raw >= 0.5", r.Persist, f => f.RatioVsRaw >= 0.5,
                f => $"ratio_vs_raw {f.RatioVsRaw:F2} ({f.RowsPerS:N0} vs {f.RawRowsPerS:N0} rows/s)",
                f => $"{f.Transactions:N0} group transactions took {f.TransactionSeconds:F1} s, one at a time; CPU seconds over the timed {f.CommittedSeconds - f.MeasuredFromSeconds:F1} s: "
                    + $"{string.Join(", ", f.DrainCpuSeconds.Select(c => $"{(c.Key == "load generator" ? "persister" : c.Key)} {c.Value:F1}"))}; "
                    + $"{f.CounterWrites:N0} counter writes to Redis in between ({Top(f.RedisCommandsDuringDrain)}); "
                    + (f.PgStatementsDuringDrain.Count > 0 ? $"PostgreSQL's costliest statement {f.PgStatementsDuringDrain[0].MillisecondsPerCall:F1} ms x {f.PgStatementsDuringDrain[0].Calls}" : "pg_stat_statements not available")),
            Judge("memory", "saving_pct >= 90 with every answer right", r.Memory, f => f.SavingPct >= 90 && (r.FeedState?.AnswersWrong ?? 1) == 0,
                f => $"saving_pct {f.SavingPct:F1} ({Mb(f.SystemBytes)} vs {Mb(f.NaiveBytes)}); answers wrong: {r.FeedState?.AnswersWrong.ToString(CultureInfo.InvariantCulture) ?? "not checked"}",
                f => $"counters {Per(f.CounterBytes, f.Contents)} B per content ({f.CounterKeys:N0} hashes of up to {RedisKeys.CountersPerBucket}), timelines {Per(f.TimelineBytes, f.TimelineKeys)} B each x {f.TimelineKeys:N0}; "
                    + $"naive {f.NaiveBytesPerLike:F1} B per like, system {f.SystemBytesPerLike:F1}"),
            Judge("exactness", "drift_contents = 0, lost_likes = 0 and wrong_answers = 0", r.Exactness, f => f.DriftContents == 0 && f.LostLikes == 0 && f.WrongAnswers == 0,
                f => $"drift_contents {f.DriftContents}, lost_likes {f.LostLikes}, wrong_answers {f.WrongAnswers} ({f.LikesExpected:N0} likes on {f.ContentsChecked:N0} contents; feed-state and my-likes of {f.UsersRead:N0} users)",
                f => f.UnexpectedRows == 0 ? "every accepted write is in PostgreSQL, counts agree in PostgreSQL and Redis" : $"{f.UnexpectedRows} rows whose last accepted action was an unlike"),
        ];

        GoalResult Judge<T>(string scenario, string goal, T? result, Func<T, bool> met, Func<T, string> measured, Func<T, string> limit)
            where T : class
            => result is null
                ? new GoalResult(scenario, goal, false, "not measured: " + r.Errors.GetValueOrDefault(scenario, "did not run"), "")
                : new GoalResult(scenario, goal, met(result), measured(result), limit(result));
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    private static string Per(long bytes, long keys) => keys > 0 ? (bytes / (double)keys).ToString("F0", CultureInfo.InvariantCulture) : "-";

    private static string Top(IReadOnlyList<Diagnostics.CommandCost> commands)
        => commands.Count == 0 ? "no Redis commands" : $"Redis: {commands[0].Command} {commands[0].Calls:N0} calls, {commands[0].Microseconds / 1e6:F1} s";

    private static string Cpu(IReadOnlyDictionary<string, double> cpu)
        => string.Join(", ", cpu.Where(kv => kv.Key != CpuMeter.Machine).Select(kv => $"{kv.Key} {kv.Value:F1} s"));

    /// <summary>How much of the machine's busy CPU went to processes outside the run (a shared machine's noise).</summary>
    private static string Share(IReadOnlyDictionary<string, double> cpu)
    {
        if (!cpu.TryGetValue(CpuMeter.Machine, out var machine) || machine <= 0)
        {
            return "machine CPU not measured";
        }

        var ours = cpu.Where(kv => kv.Key != CpuMeter.Machine).Sum(kv => kv.Value);
        return $"the machine was busy {machine:F0} CPU-s, {Math.Max(0, machine - ours) / machine:P0} of it outside the processes named (other work on the machine)";
    }
}
