namespace Likes.Edge.Tests;

/// <summary>Fresh content ids per test, so tests in a class never share a counter.</summary>
public static class Contents
{
    public static long Next() => Random.Shared.NextInt64(1_000_000, long.MaxValue);
}
