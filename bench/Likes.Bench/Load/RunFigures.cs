namespace Likes.Bench.Load;

/// <summary>What one closed-loop run measured: successes per second, latency percentiles, the rate over time.</summary>
public sealed record RunFigures(
    string Name,
    int Clients,
    double Seconds,
    long Ok,
    long Failed,
    Percentiles Latency,
    IReadOnlyList<SeriesPoint> Series)
{
    /// <summary>Successful answers per second (errors do not count as throughput).</summary>
    public double PerSecond => Seconds > 0 ? Ok / Seconds : 0;

    public static RunFigures From(string name, int clients, LoadResult result, ThroughputSeries series)
        => new(name, clients, result.Elapsed.TotalSeconds, result.Recorder.Ok, result.Recorder.Total - result.Recorder.Ok,
            result.Recorder.Snapshot(), series.Points);
}
