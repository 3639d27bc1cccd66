namespace Likes.Bench.Demo;

/// <summary>The demo's shape: who scrolls and likes, for how long, and the celebrity burst in the middle.</summary>
/// <param name="WriteShare">Share of page reads after which the user also likes (or unlikes) something.</param>
/// <param name="UnlikeShare">Share of those writes that are unlikes.</param>
/// <param name="BurstLikes">Distinct users who like the celebrity's content in the burst (at most <paramref name="Users"/>).</param>
public sealed record DemoOptions(
    int Users,
    int Contents,
    int Clients,
    TimeSpan Duration,
    double WriteShare,
    double UnlikeShare,
    int BurstLikes,
    int BurstClients)
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
        BurstClients: 32);
}
