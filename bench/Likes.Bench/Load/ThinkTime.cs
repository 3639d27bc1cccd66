namespace Likes.Bench.Load;

/// <summary>
/// A user's pause between requests, drawn from an exponential distribution of the given mean (the usual model of
/// independent users' think times). Equal fixed pauses keep closed-loop clients that started together in step: they
/// reach the server as one convoy, and the last request of each convoy waits for all the others.
/// </summary>
public static class ThinkTime
{
    /// <summary>No pause longer than this many means: a draw of the distribution's far tail would idle a client for seconds.</summary>
    private const double MaxMeans = 8;

    public static TimeSpan Next(TimeSpan mean, Random random)
        => mean * Math.Min(MaxMeans, -Math.Log(1 - random.NextDouble()));
}
