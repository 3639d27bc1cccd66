namespace Likes.Edge.Reads;

/// <summary>The outcome of a PostgreSQL fallback read: the value, or why there is none.</summary>
public readonly record struct Fallback<T>(T? Value, DegradedReason? Failure)
{
    public bool Known => Failure is null;
}

public static class Fallback
{
    public static Fallback<T> Of<T>(T value) => new(value, null);

    public static Fallback<T> Unknown<T>(DegradedReason reason) => new(default, reason);
}
