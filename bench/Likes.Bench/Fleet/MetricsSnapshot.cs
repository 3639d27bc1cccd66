using System.Globalization;

namespace Likes.Bench.Fleet;

/// <summary>
/// A daemon's Prometheus text exposition at one moment, each metric summed over its label sets: enough to
/// difference two scrapes (applied events, counter writes) around a scenario.
/// </summary>
public sealed class MetricsSnapshot
{
    private readonly Dictionary<string, double> _sums;

    private MetricsSnapshot(Dictionary<string, double> sums) => _sums = sums;

    public static MetricsSnapshot Empty { get; } = new([]);

    /// <summary>The sum over every series of the metric; 0 when the daemon does not expose it (yet).</summary>
    public double this[string metric] => _sums.GetValueOrDefault(metric);

    public static MetricsSnapshot Parse(string text)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.IndexOfAny([' ', '{']);
            var valueStart = line.LastIndexOf(' ');
            if (nameEnd <= 0 || valueStart < nameEnd
                || !double.TryParse(line.AsSpan(valueStart + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value))
            {
                continue;
            }

            var name = line[..nameEnd];
            sums[name] = sums.GetValueOrDefault(name) + value;
        }

        return new MetricsSnapshot(sums);
    }

    /// <summary>Several daemons' snapshots as one: each metric summed over them.</summary>
    public static MetricsSnapshot Sum(IEnumerable<MetricsSnapshot> snapshots)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in snapshots.SelectMany(s => s._sums))
        {
            sums[name] = sums.GetValueOrDefault(name) + value;
        }

        return new MetricsSnapshot(sums);
    }

    /// <summary>How much a metric grew from <paramref name="before"/> to this snapshot.</summary>
    public double Since(MetricsSnapshot before, string metric) => this[metric] - before[metric];
}
