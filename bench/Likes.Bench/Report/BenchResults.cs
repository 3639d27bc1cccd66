using Likes.Bench.Diagnostics;
using Likes.Bench.Load;

namespace Likes.Bench.Report;

/// <summary>
/// bench/results/latest.json: every scenario's figures against its baseline from one run, the goals, and the
/// machine. Property names become snake_case keys (feed_state.system_rps …); the keys the benchmark issue
/// lists are the contract, the others are there to explain them.
/// </summary>
public sealed class BenchResults
{
    public required RunInfo Run { get; set; }

    public required Machine Machine { get; init; }

    public FeedStateResult? FeedState { get; set; }

    public IngestResult? Ingest { get; set; }

    public HotBurstResult? HotBurst { get; set; }

    public PersistResult? Persist { get; set; }

    /// <summary>The synchronous-PostgreSQL peer design through the same front, same load generator, same run.</summary>
    public PeerSyncPgResult? PeerSyncPg { get; set; }

    /// <summary>Ingest layer by layer: the edge keeping nothing, the edge publishing with nobody consuming, the full fleet.</summary>
    public IReadOnlyList<IngestLayerResult>? IngestLayers { get; set; }

    public MemoryResult? Memory { get; set; }

    public ExactnessResult? Exactness { get; set; }

    public IReadOnlyList<GoalResult> Goals { get; set; } = [];

    /// <summary>Scenarios that could not run, with why.</summary>
    public Dictionary<string, string> Errors { get; } = [];
}

public sealed record RunInfo(string Mode, string Command, DateTimeOffset Started, double Seconds);

public sealed record FeedStateResult(
    double SystemRps,
    double SystemP50Ms,
    double SystemP99Ms,
    double PgBaselineRps,
    double PgBaselineP50Ms,
    double PgBaselineP99Ms,
    double RedisCeilingRps,
    double RedisCeilingP99Ms,
    double RatioVsPg,
    double ShareOfCeiling,
    int Clients,
    int PageSize,
    double OneClientSystemP50Ms,
    double OneClientSystemP99Ms,
    double OneClientPgBaselineP50Ms,
    double OneClientPgBaselineP99Ms,
    long SystemDegradedAnswers,
    long PgBaselineDegradedAnswers,
    long Errors,
    double SystemEdgeCpuMsPerRequest,
    double PgBaselineEdgeCpuMsPerRequest,
    IReadOnlyDictionary<string, double> SystemCpuSeconds,
    IReadOnlyDictionary<string, double> PgBaselineCpuSeconds,
    IReadOnlyList<CommandCost> RedisCommandsDuringSystemRun,
    IReadOnlyList<StatementCost> PgStatementsDuringBaselineRun,
    long AnswersChecked,
    long AnswersWrong,
    IReadOnlyList<RunResult> Runs);

public sealed record IngestResult(
    double AcceptedPerS,
    double RawPublishPerS,
    double RatioVsRawPublish,
    long Accepted,
    double AcceptedPerSWhileLoading,
    double LoadSeconds,
    double SecondsUntilApplied,
    int Clients,
    int RawInFlight,
    long Rejected,
    double EdgeP50Ms,
    double EdgeP99Ms,
    double RawPublishP50Ms,
    double RawPublishP99Ms,
    double EdgeCpuMsPerLike,
    double EdgePublishWaitMs,
    IReadOnlyDictionary<string, double> CpuSeconds,
    IReadOnlyDictionary<string, double> RawPublishCpuSeconds,
    IReadOnlyList<RunResult> Runs,
    double RatioVsSyncPg = 0);

/// <remarks>A count that never became exact within the scenario's wait has null seconds. <c>incrby_calls</c> is the
/// persister's counter writes (all contents) during the burst; <c>redis_counter_writes</c> the writes Redis saw to the hot
/// content's counter, at most <c>most_counter_writes_in_a_second</c> in any second.</remarks>
public sealed record HotBurstResult(
    long Likes,
    double IncrbyCalls,
    double LikesPerIncrby,
    double? SecondsToExact,
    double? SecondsToExactInRedis,
    double? SecondsToExactInFeedState,
    double BurstSeconds,
    double LikesPerSecond,
    double PersisterTransactions,
    long CountChanges,
    int Clients,
    double P50Ms,
    double P99Ms,
    int RedisCounterWrites,
    int MostCounterWritesInASecond,
    double RatioVsSyncPg = 0,
    double P99ShareOfSyncPg = 0);

/// <param name="BurstCountExact">The burst content's count row equals the likes the peer accepted.</param>
public sealed record PeerSyncPgResult(
    double BurstAcceptedPerS,
    double BurstP50Ms,
    double BurstP99Ms,
    long BurstLikes,
    double IngestAcceptedPerS,
    double IngestP50Ms,
    double IngestP99Ms,
    long IngestAccepted,
    long Rejected,
    bool BurstCountExact,
    double EdgeCpuMsPerLike,
    IReadOnlyDictionary<string, double> IngestCpuSeconds,
    IReadOnlyList<RunResult> Runs);

/// <param name="LikesPerS">Answered 202 per second; for the full fleet, counted until both workers applied every like.</param>
/// <param name="RatioVsRawPublish">Against the ingest's raw publish baseline of the same run.</param>
/// <param name="CpuMsPerLike">CPU milliseconds per like, per process (PostgreSQL with its backends), and the whole machine's.</param>
public sealed record IngestLayerResult(string Name, double LikesPerS, double P50Ms, double P99Ms, double RatioVsRawPublish, IReadOnlyDictionary<string, double> CpuMsPerLike);

public sealed record PersistResult(
    double RowsPerS,
    double RawRowsPerS,
    double RatioVsRaw,
    long Rows,
    int BatchSize,
    double MeasuredFromSeconds,
    double CommittedSeconds,
    double AckedSeconds,
    double Transactions,
    double TransactionSeconds,
    double CounterWrites,
    IReadOnlyList<StatementCost> PgStatementsDuringDrain,
    IReadOnlyList<CommandCost> RedisCommandsDuringDrain,
    IReadOnlyDictionary<string, double> DrainCpuSeconds,
    IReadOnlyDictionary<string, double> RawCpuSeconds);

public sealed record MemoryResult(
    long Likes,
    int Users,
    int Contents,
    int ActiveUsers,
    long NaiveBytes,
    long SystemBytes,
    double SavingPct,
    long NaiveSets,
    long NaiveUsedMemoryDelta,
    long CounterKeys,
    long CounterBytes,
    long TimelineKeys,
    long TimelineBytes,
    long OtherKeys,
    long OtherBytes,
    double SystemBytesPerLike,
    double NaiveBytesPerLike,
    double LoadSeconds);

/// <param name="WrongAnswers">Reads after catch-up that disagree with what the writers were told (liked-state, counts, my-likes).</param>
/// <param name="UsersRead">Users whose feed-state and my-likes were read back.</param>
public sealed record ExactnessResult(long DriftContents, long LostLikes, long UnexpectedRows, long LikesExpected, long ContentsChecked, long WrongAnswers, long UsersRead);

/// <summary>One measured run, for reading the plots' numbers.</summary>
public sealed record RunResult(string Name, int Clients, double Seconds, long Ok, long Failed, double PerSecond, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static RunResult From(RunFigures f) => new(f.Name, f.Clients, Round(f.Seconds), f.Ok, f.Failed, Round(f.PerSecond),
        Round(f.Latency.P50), Round(f.Latency.P90), Round(f.Latency.P99), Round(f.Latency.P999), Round(f.Latency.Max));

    public static double Round(double value) => Math.Round(value, value >= 100 ? 0 : 3);

    public static double? RoundOrNull(double value) => double.IsFinite(value) ? Round(value) : null;
}

/// <param name="Limit">The measured evidence of what bounds the figure (printed for every goal, and the reason a short one is short).</param>
public sealed record GoalResult(string Scenario, string Goal, bool Met, string Measured, string Limit);
