using Likes.Fixtures;

namespace Likes.Bench;

/// <summary>
/// Where the running stack is: the same variables `./likes up` gives the daemons, loopback defaults. <see cref="Edges"/>
/// are every edge the load spreads over (<c>LIKES_EDGE_URLS</c>, comma-separated: two in the cluster); <see cref="Edge"/> the first.
/// </summary>
public sealed record BenchEnvironment(Uri Edge, string JwtKey, string Postgres, string Redis, string KeyPrefix, string Nats)
{
    public IReadOnlyList<Uri> Edges { get; init; } = [Edge];

    /// <summary>The stack is `./likes up --cluster`'s (<c>LIKES_CLUSTER=on</c>): commands a person is pointed to take <c>--cluster</c>.</summary>
    public bool Cluster { get; init; }

    public static BenchEnvironment FromEnvironment()
    {
        var edges = (Environment.GetEnvironmentVariable("LIKES_EDGE_URLS") ?? Environment.GetEnvironmentVariable("LIKES_EDGE_URL") ?? "http://127.0.0.1:8080")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u)).ToList();
        return new BenchEnvironment(
            edges[0],
            Environment.GetEnvironmentVariable("LIKES_JWT_KEY") ?? Tokens.DevelopmentKey,
            Environment.GetEnvironmentVariable("LIKES_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Database=likes;Username=likes;Password=likes",
            Environment.GetEnvironmentVariable("LIKES_REDIS") ?? "127.0.0.1:6379",
            Environment.GetEnvironmentVariable("LIKES_REDIS_KEY_PREFIX") ?? "l:",
            Environment.GetEnvironmentVariable("LIKES_NATS_URL") ?? "nats://127.0.0.1:4222")
        {
            Edges = edges,
            Cluster = Environment.GetEnvironmentVariable("LIKES_CLUSTER") == "on",
        };
    }
}
