using System.Diagnostics;
using Likes.Bench.Diagnostics;
using Likes.Bench.Load;

namespace Likes.Bench.Scenarios;

/// <summary>
/// One of the things feed-state is measured against (the system, the baseline, the ceiling), measured in
/// slices taken in turn with the others, so a change in the machine's background load during the run
/// weighs on all of them alike. Latency, successes, time, CPU and the store's own costs add up over slices.
/// </summary>
public sealed class FeedStateTarget(string name, ClosedLoop.Request request, IReadOnlyList<(string Name, int? Pid)> processes)
{
    private readonly LatencyRecorder _latency = new();
    private readonly List<SeriesPoint> _series = [];
    private readonly Dictionary<string, double> _cpu = [];
    private double _seconds;

    public string Name => name;

    public IReadOnlyDictionary<string, double> CpuSeconds => _cpu;

    /// <summary>Runs one slice and adds it up.</summary>
    public async Task SliceAsync(int clients, TimeSpan duration, string label, CancellationToken ct)
    {
        var cpu = CpuMeter.Start(processes);
        var run = await MeasuredLoop.RunAsync($"{name}, {label}", clients, duration, async (client, random, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var status = await request(client, random, token);
                _latency.Record(started, status);
                return status;
            }
            catch (HttpRequestException)
            {
                _latency.Record(started, 0);
                throw;
            }
        }, ct);
        foreach (var (process, seconds) in cpu.Stop())
        {
            _cpu[process] = Math.Round(_cpu.GetValueOrDefault(process) + seconds, 2);
        }

        _series.AddRange(run.Series.Select(p => p with { Second = p.Second + _seconds }));
        _seconds += run.Seconds;
    }

    public RunFigures Figures(int clients)
        => new(name, clients, _seconds, _latency.Ok, _latency.Total - _latency.Ok, _latency.Snapshot(), _series);
}
