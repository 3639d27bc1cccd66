using Likes.Fixtures;

namespace Likes.Bench;

/// <summary>Where the running stack is: the same variables `./likes up` gives the daemons, loopback defaults.</summary>
public sealed record BenchEnvironment(Uri Edge, string JwtKey, string Postgres, string Redis, string KeyPrefix, string Nats)
{
    public static BenchEnvironment FromEnvironment() => new(
        new Uri(Environment.GetEnvironmentVariable("LIKES_EDGE_URL") ?? "http://127.0.0.1:8080"),
        Environment.GetEnvironmentVariable("LIKES_JWT_KEY") ?? Tokens.DevelopmentKey,
        Environment.GetEnvironmentVariable("LIKES_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Database=likes;Username=likes;Password=likes",
        Environment.GetEnvironmentVariable("LIKES_REDIS") ?? "127.0.0.1:6379",
        Environment.GetEnvironmentVariable("LIKES_REDIS_KEY_PREFIX") ?? "l:",
        Environment.GetEnvironmentVariable("LIKES_NATS_URL") ?? "nats://127.0.0.1:4222");
}
