using Likes.Bench.Load;
using Likes.Bench.Scenarios;
using ScottPlot;

namespace Likes.Bench.Report;

/// <summary>
/// The PNG plots of a run under docs/benchmarks/&lt;mode&gt;/: per scenario, throughput against its baseline and the
/// latency percentiles. Each plot is drawn only from figures this run measured.
/// </summary>
public sealed class Plots(string directory)
{
    private const int Width = 900;
    private const int Height = 480;
    private static readonly string[] PercentileNames = ["p50", "p90", "p99", "p99.9"];
    private readonly List<string> _written = [];

    public IReadOnlyList<string> Written => _written;

    public void FeedState(FeedStateFigures f)
    {
        Throughput("feed-state-throughput.png", $"feed-state: 20-id pages per second, {f.System.Clients} clients",
            "pages / s", [("edge, Redis (system)", f.System.PerSecond), ("edge, PostgreSQL only (baseline)", f.Baseline.PerSecond), ("Redis commands direct (ceiling)", f.Ceiling.PerSecond)]);
        Latency("feed-state-latency.png", $"feed-state latency, {f.System.Clients} clients", [f.System, f.Baseline, f.Ceiling],
            ["edge, Redis", "edge, PostgreSQL", "Redis direct"]);
    }

    public void Ingest(IngestFigures f)
    {
        var plot = new Plot();
        Line(plot, f.Edge.Series, "accepted by the edge");
        Line(plot, f.PersisterApplied, "applied by the persister");
        Line(plot, f.AggregatorApplied, "applied by the aggregator");
        Line(plot, f.RawPublish.Series, "raw JetStream publish (baseline, separate run)");
        Save(plot, "ingest-throughput.png", "ingest: events per second over time", "seconds since the run started", "events / s");
        Latency("ingest-latency.png", "ingest latency: edge write (202) vs raw publish ack", [f.Edge, f.RawPublish], ["edge PUT/DELETE", "raw JetStream publish"]);
    }

    public void HotBurst(HotBurstFigures f)
    {
        var plot = new Plot();
        var accepted = new List<SeriesPoint> { new(0, 0) };
        double total = 0, previous = 0;
        foreach (var point in f.Burst.Load.Series)
        {
            total += point.Value * (point.Second - previous);
            previous = point.Second;
            accepted.Add(point with { Value = total });
        }

        Line(plot, accepted, "likes accepted (202)");
        Line(plot, f.Burst.Counted, "count in Redis");
        Save(plot, "hot-burst.png", $"hot burst: {f.Burst.Likes:N0} users like one content; {f.LikesPerCounterWrite:F0} likes per counter write",
            "seconds since the burst started", "likes");
    }

    /// <summary>The system against the synchronous-PostgreSQL peer: rates and p99s, burst and uniform ingest.</summary>
    public void Peer(PeerFigures f, IngestResult? ingest, HotBurstResult? burst)
    {
        Throughput("peer-throughput.png", "likes accepted per second: the system vs synchronous PostgreSQL, same front and load", "likes / s",
            [("system: hot burst", burst?.LikesPerSecond ?? 0), ("sync PostgreSQL: hot burst", f.Burst.PerSecond),
             ("system: uniform ingest", ingest?.AcceptedPerS ?? 0), ("sync PostgreSQL: uniform ingest", f.Ingest.PerSecond)]);
        Throughput("peer-p99.png", "write latency p99: the system vs synchronous PostgreSQL", "milliseconds",
            [("system: hot burst", burst?.P99Ms ?? 0), ("sync PostgreSQL: hot burst", f.Burst.Latency.P99),
             ("system: uniform ingest", ingest?.EdgeP99Ms ?? 0), ("sync PostgreSQL: uniform ingest", f.Ingest.Latency.P99)]);
    }

    public void IngestLayers(IReadOnlyList<IngestLayerResult> layers)
        => Throughput("ingest-layers.png", "ingest layer by layer: likes per second, same workload and clients", "likes / s",
            [.. layers.Select(l => (l.Name, l.LikesPerS))]);

    public void Persist(PersistFigures f)
        => Throughput("persist-throughput.png", $"persist: {f.Rows:N0}-event backlog drained, rows per second", "rows / s",
            [("persister (system)", f.RowsPerSecond), ("raw batched INSERT (baseline)", f.RawRowsPerSecond)]);

    public void Memory(MemoryFigures f)
    {
        var plot = new Plot();
        var counters = Mib(f.Kind(MemoryScenario.Counters).Bytes);
        var timelines = Mib(f.Kind(MemoryScenario.Timelines).Bytes);
        var other = Mib(f.Kind(MemoryScenario.Other).Bytes);
        Bar[] bars =
        [
            new() { Position = 0, Value = Mib(f.Naive.Bytes), FillColor = Colors.Gray, Label = $"{Mib(f.Naive.Bytes):F1}" },
            new() { Position = 1, Value = counters, FillColor = Colors.SteelBlue },
            new() { Position = 1, ValueBase = counters, Value = counters + timelines, FillColor = Colors.Orange },
            new() { Position = 1, ValueBase = counters + timelines, Value = counters + timelines + other, FillColor = Colors.Green, Label = $"{counters + timelines + other:F1}" },
        ];
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([0, 1], ["naive: a SET of likers per content", "system: counters + timelines"]);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "counters", FillColor = Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "timelines (active users)", FillColor = Colors.Orange });
        plot.Axes.Margins(bottom: 0);
        Save(plot, "memory.png", $"Redis memory for {f.Shape.Likes:N0} likes: {f.SavingPct:F1} % less than naive", "", "MiB (MEMORY USAGE)");
    }

    private void Throughput(string file, string title, string unit, IReadOnlyList<(string Name, double Value)> values)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        plot.Add.Bars(values.Select((v, i) => new Bar { Position = i, Value = v.Value, FillColor = palette.GetColor(i), Label = $"{v.Value:N0}" }).ToArray());
        plot.Axes.Bottom.SetTicks([.. values.Select((_, i) => (double)i)], [.. values.Select(v => v.Name)]);
        plot.Axes.Margins(bottom: 0);
        Save(plot, file, title, "", unit);
    }

    private void Latency(string file, string title, IReadOnlyList<RunFigures> runs, IReadOnlyList<string> names)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (var r = 0; r < runs.Count; r++)
        {
            var l = runs[r].Latency;
            double[] values = [l.P50, l.P90, l.P99, l.P999];
            for (var p = 0; p < values.Length; p++)
            {
                bars.Add(new Bar { Position = p * (runs.Count + 1) + r, Value = values[p], FillColor = palette.GetColor(r), Label = $"{values[p]:F1}" });
            }

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = names[r], FillColor = palette.GetColor(r) });
        }

        plot.Add.Bars(bars.ToArray());
        plot.Axes.Bottom.SetTicks([.. PercentileNames.Select((_, p) => p * (runs.Count + 1) + (runs.Count - 1) / 2.0)], PercentileNames);
        plot.Axes.Margins(bottom: 0);
        Save(plot, file, title, "percentile", "milliseconds");
    }

    private static void Line(Plot plot, IReadOnlyList<SeriesPoint> points, string name)
    {
        if (points.Count == 0)
        {
            return;
        }

        var line = plot.Add.Scatter(points.Select(p => p.Second).ToArray(), points.Select(p => p.Value).ToArray());
        line.LegendText = name;
        line.MarkerSize = 0;
        line.LineWidth = 2;
    }

    private void Save(Plot plot, string file, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, file);
        plot.SavePng(path, Width, Height);
        _written.Add(path);
    }

    private static double Mib(long bytes) => bytes / 1024.0 / 1024.0;
}
