using System.Diagnostics;

namespace Likes.Bench.Load;

/// <summary>
/// Every request's latency, kept exactly (a run records at most a few million), so percentiles are exact
/// rather than bucketed. Also counts outcomes by status class.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(1 << 16);
    private long _ok;
    private long _clientErrors;
    private long _serverErrors;
    private long _failures;

    public long Ok => Interlocked.Read(ref _ok);

    public long ClientErrors => Interlocked.Read(ref _clientErrors);

    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public long Failures => Interlocked.Read(ref _failures);

    public long Total => Ok + ClientErrors + ServerErrors + Failures;

    public void Record(long startTimestamp, int status)
    {
        var ticks = Stopwatch.GetTimestamp() - startTimestamp;
        lock (_ticks)
        {
            _ticks.Add(ticks);
        }

        switch (status)
        {
            case >= 200 and < 300: Interlocked.Increment(ref _ok); break;
            case >= 400 and < 500: Interlocked.Increment(ref _clientErrors); break;
            case >= 500: Interlocked.Increment(ref _serverErrors); break;
            default: Interlocked.Increment(ref _failures); break;
        }
    }

    /// <summary>Percentiles in milliseconds of everything recorded so far.</summary>
    public Percentiles Snapshot()
    {
        List<long> all;
        lock (_ticks)
        {
            all = [.. _ticks];
        }

        if (all.Count == 0)
        {
            return new Percentiles(0, 0, 0, 0, 0, 0);
        }

        all.Sort();
        double Ms(double q) => all[(int)Math.Min(all.Count - 1, Math.Ceiling(q * all.Count) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new Percentiles(all.Count, Ms(0.5), Ms(0.9), Ms(0.99), Ms(0.999), all[^1] * 1000.0 / Stopwatch.Frequency);
    }
}

public readonly record struct Percentiles(int Count, double P50, double P90, double P99, double P999, double Max);
