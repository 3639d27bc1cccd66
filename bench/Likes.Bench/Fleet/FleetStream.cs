using Likes.Fixtures;
using Likes.Shared.Configuration;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Bench.Fleet;

/// <summary>The fleet's event stream, for the live display: events not yet applied by each worker (its lag).</summary>
public sealed class FleetStream : IAsyncDisposable
{
    private readonly NatsConnection _nats;
    private readonly EventPublisher _events;

    public FleetStream(BenchEnvironment env)
    {
        _nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench-lag" });
        _events = new EventPublisher(new NatsJSContext(_nats), Options());
    }

    /// <summary>The fleet's stream settings, as `./likes up` gives them to the daemons.</summary>
    public static StreamOptions Options() => new()
    {
        Name = Environment.GetEnvironmentVariable("LIKES_STREAM") ?? "LIKES",
        Partitions = int.TryParse(Environment.GetEnvironmentVariable("LIKES_PARTITIONS"), out var p) ? p : 8,
    };

    /// <summary>Events in the stream the aggregator and the persister have not acked yet.</summary>
    public async Task<(ulong Aggregator, ulong Persister)> LagAsync()
        => (await _events.PendingAsync("aggregator"), await _events.PendingAsync("persister"));

    public ValueTask DisposeAsync() => _nats.DisposeAsync();
}
