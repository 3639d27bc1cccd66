using System.Diagnostics;
using System.Text.RegularExpressions;
using Likes.Admin;
using Likes.Bench.Checks;
using Likes.Bench.Diagnostics;
using Likes.Bench.Fleet;
using Likes.Bench.Load;
using Likes.Bench.Workload;
using Likes.Fixtures;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Bench.Scenarios;

/// <summary>
/// Ingest through the fleet's edge, in one run against its baseline: likes and unlikes accepted per second
/// with every accepted one applied (the rate counts until both workers have caught up), then the same
/// events published straight to JetStream from this process, many in flight, onto a stream of the bench's
/// own with the fleet stream's configuration (so no worker consumes them), removed afterwards.
/// </summary>
public sealed partial class IngestScenario(BenchEnvironment env, FleetDaemons fleet, IngestSizes sizes)
{
    private static readonly TimeSpan CatchUpWithin = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StreamRemovalWithin = TimeSpan.FromMinutes(2);

    /// <summary>The raw baseline's stream names: this, eight hex digits, then the topology's suffixes.</summary>
    private const string RawStreamPrefix = "bench";

    /// <summary>The edge's histogram of the wait for the stream's ack, per write.</summary>
    private const string PublishSeconds = "likes_edge_publish_seconds";

    public async Task<IngestFigures> RunAsync(LikeTraffic traffic, ProcessIds pids, CancellationToken ct)
    {
        // Writes run on the scenario's token, not the loop's: a write cut off when the time is up may still be
        // accepted, and then the exactness check would not know what the user was last told.
        ClosedLoop.Request write = (client, random, _) => traffic.WriteAsync(client, random, ct);
        await MeasuredLoop.RunAsync("warm-up: likes through the edge", sizes.Clients, sizes.Warmup, write, ct);
        await CatchUp.WaitAsync(env, CatchUpWithin, ct);
        var warmedUp = traffic.AcceptedOrder.Count;

        await using var stream = new FleetStream(env);
        var cpu = CpuMeter.Start([("edge", fleet.Pid("edge")), ("persister", fleet.Pid("persister")), ("aggregator", fleet.Pid("aggregator")), .. pids.Shared], pids.Trees);
        var edgeBefore = await fleet.ScrapeAsync(env.Edge, ct);
        var started = Stopwatch.GetTimestamp();
        RunFigures edge;
        FleetWatch watch;
        await using (watch = FleetWatch.Start(fleet, stream))
        {
            edge = await MeasuredLoop.RunAsync("edge: likes accepted", sizes.Clients, sizes.Measure, write, ct, status: () => watch.Status);
            await CatchUp.WaitAsync(env, CatchUpWithin, ct);
        }

        var untilApplied = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = cpu.Stop();
        var edgeAfter = await fleet.ScrapeAsync(env.Edge, ct);
        var publishes = edgeAfter.Since(edgeBefore, PublishSeconds + "_count");
        var publishWaitMs = publishes > 0 ? edgeAfter.Since(edgeBefore, PublishSeconds + "_sum") * 1000 / publishes : 0;
        var events = traffic.AcceptedOrder.Skip(warmedUp).ToList();
        var rawCpu = CpuMeter.Start(pids.Shared, pids.Trees);
        var raw = await RawPublishAsync(events, ct);
        return new IngestFigures(edge, untilApplied, raw, watch.PersisterRate.Points, watch.AggregatorRate.Points, cpuSeconds, publishWaitMs, rawCpu.Stop());
    }

    /// <summary>
    /// Removes the streams of an earlier run of this baseline that stopped before removing them (killed, or a version
    /// that removed only some): each holds a reservation of JetStream's storage, and enough of them refuse the next
    /// run's streams, the private slices' included. Only this baseline names streams so. Run before anything else.
    /// </summary>
    public static async Task RemoveLeftoversAsync(BenchEnvironment env, CancellationToken ct)
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench-raw", RequestTimeout = StreamRemovalWithin });
        var js = new NatsJSContext(nats);
        var leftovers = new List<string>();
        await foreach (var name in js.ListStreamNamesAsync(cancellationToken: ct))
        {
            if (RawStreamName().IsMatch(name))
            {
                leftovers.Add(name);
            }
        }

        foreach (var name in leftovers)
        {
            await js.DeleteStreamAsync(name, ct);
        }

        if (leftovers.Count > 0)
        {
            Console.WriteLine($"removed {leftovers.Count} streams an earlier run left behind: {string.Join(", ", leftovers)}");
        }
    }

    [GeneratedRegex("^(KV_)?BENCH[0-9A-F]{8}(_[A-Z]+)?$")]
    private static partial Regex RawStreamName();

    /// <summary>The same users, contents and actions as the edge accepted, straight to JetStream, cycling until the time is up.</summary>
    private async Task<RunFigures> RawPublishAsync(List<(long User, long Content, bool Like)> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            throw new InvalidOperationException("the edge accepted no like to publish again; see the edge's log");
        }

        var id = RawStreamPrefix + Guid.NewGuid().ToString("N")[..8];
        var stream = new StreamOptions
        {
            Name = id.ToUpperInvariant(),
            SubjectPrefix = id,
            Partitions = int.TryParse(Environment.GetEnvironmentVariable("LIKES_PARTITIONS"), out var p) ? p : new StreamOptions().Partitions,
        };
        // Removing a stream of millions of events takes JetStream longer than the default API timeout.
        await using var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench-raw", RequestTimeout = StreamRemovalWithin });
        var js = new NatsJSContext(nats);
        try
        {
            await StreamProvisioner.EnsureAsync(js, stream, new ConsumerOptions(), TextWriter.Null, ct);
            var publisher = new EventPublisher(js, stream);
            var next = -1L;
            return await MeasuredLoop.RunAsync($"raw JetStream publish, {sizes.RawInFlight} in flight", sizes.RawInFlight, sizes.RawMeasure, async (_, _, _) =>
            {
                var (user, content, like) = events[(int)(Interlocked.Increment(ref next) % events.Count)];
                try
                {
                    await publisher.PublishAsync(publisher.Event(user, content, like ? LikeAction.Like : LikeAction.Unlike));
                    return 200;
                }
                catch (Exception ex) when (ex is NatsException or TimeoutException)
                {
                    return 0;
                }
            }, ct);
        }
        finally
        {
            try
            {
                await StreamProvisioner.RemoveAsync(js, stream, CancellationToken.None);
            }
            catch (InvalidOperationException ex)
            {
                // The figures stand; say what is left behind rather than lose them.
                Console.WriteLine($"  {ex.Message}; remove them with: nats stream rm <name>");
            }
        }
    }
}

/// <param name="Clients">Closed-loop HTTP clients against the edge.</param>
/// <param name="RawInFlight">Publishes awaiting their ack at once in the baseline.</param>
/// <param name="RawMeasure">How long the baseline publishes: it is at its rate within a second, and every second
/// more leaves tens of thousands of events on disk in a stream nobody consumes.</param>
public sealed record IngestSizes(int Users, int Contents, int Clients, double UnlikeShare, TimeSpan Warmup, TimeSpan Measure, int RawInFlight, TimeSpan RawMeasure);

/// <param name="SecondsUntilApplied">From the first measured request until both workers had applied everything.</param>
/// <param name="EdgePublishWaitMs">The edge's mean wait for JetStream's ack per write (its own metric).</param>
/// <param name="RawPublishCpuSeconds">What the baseline cost the publishing process and NATS (the stream's removal included).</param>
public sealed record IngestFigures(
    RunFigures Edge,
    double SecondsUntilApplied,
    RunFigures RawPublish,
    IReadOnlyList<SeriesPoint> PersisterApplied,
    IReadOnlyList<SeriesPoint> AggregatorApplied,
    IReadOnlyDictionary<string, double> CpuSeconds,
    double EdgePublishWaitMs,
    IReadOnlyDictionary<string, double> RawPublishCpuSeconds)
{
    /// <summary>Accepted likes per second, counted until every one of them was applied by both workers.</summary>
    public double AcceptedPerSecond => SecondsUntilApplied > 0 ? Edge.Ok / SecondsUntilApplied : 0;
}
