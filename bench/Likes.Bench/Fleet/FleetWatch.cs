using System.Diagnostics;
using Likes.Bench.Load;

namespace Likes.Bench.Fleet;

/// <summary>
/// Watches the fleet's workers once a second while a scenario runs: events applied per second by the
/// persister and the aggregator (from their metrics) and the stream lag of each. The live display shows
/// the latest; the plots take the series.
/// </summary>
public sealed class FleetWatch : IAsyncDisposable
{
    /// <summary>Each worker's own process exposes only its own <c>worker</c> series, so the sum over labels is its total.</summary>
    public const string Applied = "likes_consumer_events_applied_total";

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private readonly FleetDaemons _fleet;
    private readonly FleetStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly long _started = Stopwatch.GetTimestamp();

    private FleetWatch(FleetDaemons fleet, FleetStream stream)
    {
        _fleet = fleet;
        _stream = stream;
        _loop = Task.Run(LoopAsync);
    }

    public ThroughputSeries PersisterRate { get; } = new();

    public ThroughputSeries AggregatorRate { get; } = new();

    public double PersisterPerSecond { get; private set; }

    public double AggregatorPerSecond { get; private set; }

    public ulong Lag { get; private set; }

    /// <summary>For the live line: applied per second by each worker and the events still to apply.</summary>
    public string Status => $"applied/s persister {PersisterPerSecond,7:N0} aggregator {AggregatorPerSecond,7:N0}  lag {Lag,7:N0}";

    public static FleetWatch Start(FleetDaemons fleet, FleetStream stream) => new(fleet, stream);

    private async Task LoopAsync()
    {
        var first = true;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var persister = await _fleet.ScrapeAsync(_fleet.Persister, _stop.Token);
                var aggregator = await _fleet.ScrapeAsync(_fleet.Aggregator, _stop.Token);
                var (aggregatorLag, persisterLag) = await _stream.LagAsync();
                var elapsed = Stopwatch.GetElapsedTime(_started);
                // The first scrape only sets the baseline: its totals include everything before the watch.
                var persisterRate = PersisterRate.Sample(persister[Applied], first ? TimeSpan.Zero : elapsed);
                var aggregatorRate = AggregatorRate.Sample(aggregator[Applied], first ? TimeSpan.Zero : elapsed);
                if (!first)
                {
                    PersisterPerSecond = persisterRate;
                    AggregatorPerSecond = aggregatorRate;
                }

                Lag = Math.Max(aggregatorLag, persisterLag);
                first = false;
                await Task.Delay(Every, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or NATS.Client.Core.NatsException)
            {
                // A slow or restarting daemon costs a sample, not the run.
                await Task.Delay(Every, CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
