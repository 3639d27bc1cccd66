namespace Likes.Faults.Tests;

/// <summary>
/// How big a run is. Short by default, so that <c>./likes test</c> runs every scenario in a few minutes;
/// <c>LIKES_FAULTS=full</c> (what <c>./likes faults</c> sets) runs the same scenarios with the full load.
/// </summary>
public sealed record FaultSize(
    string Name,
    int Clients,
    int Users,
    int Contents,
    TimeSpan Warmup,
    TimeSpan Hold,
    TimeSpan Quiet,
    int PoisonPerKind,
    int DuplicatePairs)
{
    public static FaultSize Quick { get; } = new("short", Clients: 8, Users: 400, Contents: 200, Warmup: TimeSpan.FromSeconds(1),
        Hold: TimeSpan.FromSeconds(2), Quiet: TimeSpan.FromSeconds(1), PoisonPerKind: 3, DuplicatePairs: 20);

    public static FaultSize Full { get; } = new("full", Clients: 32, Users: 5000, Contents: 2000, Warmup: TimeSpan.FromSeconds(3),
        Hold: TimeSpan.FromSeconds(5), Quiet: TimeSpan.FromSeconds(3), PoisonPerKind: 20, DuplicatePairs: 200);

    public static FaultSize Current { get; } = Environment.GetEnvironmentVariable("LIKES_FAULTS") == "full" ? Full : Quick;

    /// <summary>How long a refusal or a full disk lasts: long enough for every retry and back-off to run many times.</summary>
    public TimeSpan LongHold => Name == "full" ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(8);

    /// <summary>After the fault is removed, the longest the load runs waiting for normal answers and ready daemons.</summary>
    public TimeSpan RecoveryLimit { get; } = TimeSpan.FromSeconds(90);

    /// <summary>The longest the consumers may take to apply everything once the load stopped.</summary>
    public TimeSpan CatchUpLimit { get; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long the consumers must stay caught up, with nothing new in the stream, to count as caught up: the
    /// edge can still publish a write the load gave up on (its publish timeout is 2 s), after the load stopped;
    /// and events the server passed over (pending 0 all the same) are applied after a consumer's idle fetch
    /// (Consumer:IdleFetch, 2 s) comes back empty.
    /// </summary>
    public TimeSpan CatchUpSettle { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Catching up for longer than this is worth a look: the report says what each consumer held then.</summary>
    public TimeSpan SlowCatchUp { get; } = TimeSpan.FromSeconds(15);
}
