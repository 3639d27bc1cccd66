namespace Likes.Edge.Tests;

/// <summary>A fresh user per test, so tests in a class never share a rate-limit bucket or an Idempotency-Key scope.</summary>
public static class Users
{
    public static long Next() => Random.Shared.NextInt64(1, long.MaxValue);
}
