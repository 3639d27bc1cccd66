using System.Globalization;
using System.Text.RegularExpressions;
using Likes.Faults.Tests.Stack;

namespace Likes.Faults.Tests.Scenarios;

/// <summary>
/// How often each defence against the stream server's own faults fired during a scenario, from the daemons' metrics:
/// events the workers applied from the stream by path (held, redelivered, gap, idle), partitions found behind a lost tail, and the
/// edge's writes refused for a reused sequence. A daemon restarted in between counts from its new start.
/// </summary>
public sealed partial class RecoveryCounts
{
    private static readonly string[] Workers = ["aggregator", "persister"];

    /// <summary>The metric's path labels, every one the loop has.</summary>
    private static readonly string[] Paths = [.. Enum.GetNames<Likes.Shared.Consuming.RecoveryPath>().Select(p => p.ToLowerInvariant())];

    private const string SequenceReused = "likes_edge_publish_failures_total{reason=\"sequence_reused\"}";

    private readonly Dictionary<string, double> _values;

    private RecoveryCounts(Dictionary<string, double> values) => _values = values;

    /// <summary>
    /// The counts of every daemon process that answers, summed over a daemon's replicas; <paramref name="workersOnly"/>
    /// leaves out the edge (paused, say).
    /// </summary>
    public static async Task<RecoveryCounts> ReadAsync(PrivateStack stack, bool workersOnly = false)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var daemon in (workersOnly ? Workers : Workers.Append("edge")).SelectMany(stack.Ports.ReplicasOf))
        {
            string text;
            try
            {
                text = await http.GetStringAsync($"http://127.0.0.1:{stack.Ports.Daemons[daemon]}/metrics");
            }
            catch (HttpRequestException)
            {
                continue;
            }

            foreach (Match m in Counter().Matches(text))
            {
                var series = m.Groups["name"].Value + m.Groups["labels"].Value;
                values[series] = values.GetValueOrDefault(series) + double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return new RecoveryCounts(values);
    }

    /// <summary>One line: what each defence did since <paramref name="before"/>.</summary>
    public string Since(RecoveryCounts before)
    {
        var parts = Workers.Select(w =>
            $"{w} {string.Join(", ", Paths.Select(p => $"{p} {Delta(before, Recovered(w, p))}"))}, rewound {Delta(before, Rewound(w))}");
        return $"events applied from the stream: {string.Join("; ", parts)}; edge writes refused for a reused sequence: {Delta(before, SequenceReused)}";
    }

    /// <summary>Writes the edge refused (503) since <paramref name="before"/> because the stream acked them under a sequence it had handed out before.</summary>
    public double SequenceReusedSince(RecoveryCounts before) => Count(before, SequenceReused);

    /// <summary>Times a worker found its position above the stream's last sequence (a lost tail) since <paramref name="before"/>.</summary>
    public double RewoundSince(RecoveryCounts before, string worker) => Count(before, Rewound(worker));

    private static string Recovered(string worker, string path) => $"likes_consumer_events_recovered_total{{worker=\"{worker}\",path=\"{path}\"}}";

    private static string Rewound(string worker) => $"likes_consumer_stream_rewound_total{{worker=\"{worker}\"}}";

    private string Delta(RecoveryCounts before, string series) => Count(before, series).ToString("F0", CultureInfo.InvariantCulture);

    private double Count(RecoveryCounts before, string series)
    {
        var now = _values.GetValueOrDefault(series);
        var then = before._values.GetValueOrDefault(series);
        return now >= then ? now - then : now;
    }

    [GeneratedRegex(@"^(?<name>likes_\w+_(?:events_recovered_total|stream_rewound_total|publish_failures_total))(?<labels>\{[^}]*\})? (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Counter();
}
