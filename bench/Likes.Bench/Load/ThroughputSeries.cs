namespace Likes.Bench.Load;

/// <summary>Rates over time from a cumulative count sampled now and then: the live display's "x/s" and the plots' lines.</summary>
public sealed class ThroughputSeries
{
    private readonly List<SeriesPoint> _points = [];
    private double _lastTotal;
    private TimeSpan _lastAt;

    public IReadOnlyList<SeriesPoint> Points => _points;

    /// <summary>Records the count reached at <paramref name="elapsed"/>; returns the rate since the previous sample.</summary>
    public double Sample(double total, TimeSpan elapsed)
    {
        var seconds = (elapsed - _lastAt).TotalSeconds;
        if (seconds <= 0)
        {
            // No time has passed: this sample is the baseline the next one is measured from.
            _lastTotal = total;
            return 0;
        }

        var rate = (total - _lastTotal) / seconds;
        _lastTotal = total;
        _lastAt = elapsed;
        _points.Add(new SeriesPoint(elapsed.TotalSeconds, rate));
        return rate;
    }
}

/// <summary>One point of a series over time: a rate over the interval ending there, or a sampled value.</summary>
/// <param name="Second">Seconds since the run started.</param>
public readonly record struct SeriesPoint(double Second, double Value);
