namespace Likes.Bench.Demo;

/// <summary>The demo's shape: who scrolls and likes, for how long, and the celebrity burst in the middle.</summary>
/// <param name="WriteShare">Share of page reads after which the user also likes (or unlikes) something.</param>
/// <param name="UnlikeShare">Share of those writes that are unlikes.</param>
/// <param name="BurstLikes">Distinct users who like the celebrity's content in the burst (at most <paramref name="Users"/>).</param>
/// <param name="ScrollPause">A scroller's mean pause after each page, as a reader's (<see cref="Load.ThinkTime"/>): the load is a rate, not as many reads as the machine can queue.</param>
/// <param name="WarmUp">How long the scrollers read, unmeasured, before the measured <paramref name="Duration"/>.</param>
/// <param name="UsersPerScroller">The population: this many users for each scroller, the others inactive.</param>
/// <param name="LikesPerUser">The population's like history before the demo, on average per user.</param>
public sealed record DemoOptions(
    int Users,
    int Contents,
    int Clients,
    TimeSpan Duration,
    double WriteShare,
    double UnlikeShare,
    int BurstLikes,
    int BurstClients,
    TimeSpan ScrollPause,
    TimeSpan WarmUp,
    int UsersPerScroller,
    int LikesPerUser)
{
    /// <summary>About a minute of load: long enough to watch, short enough to wait for.</summary>
    public static DemoOptions Showcase { get; } = new(
        Users: 3_000,
        Contents: 1_000,
        Clients: 32,
        Duration: TimeSpan.FromSeconds(60),
        WriteShare: 0.3,
        UnlikeShare: 0.15,
        BurstLikes: 3_000,
        BurstClients: 32,
        ScrollPause: TimeSpan.FromMilliseconds(15),
        WarmUp: TimeSpan.FromSeconds(15),
        UsersPerScroller: 10,
        LikesPerUser: 10);
}
