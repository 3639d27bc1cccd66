using System.Diagnostics;
using Likes.Fixtures;
using Likes.Shared.Configuration;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Bench.Checks;

/// <summary>Waits until both consumers have applied everything in the stream (pending 0), and says how long that took.</summary>
public static class CatchUp
{
    public static async Task<TimeSpan> WaitAsync(BenchEnvironment env, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench" });
        var stream = new StreamOptions
        {
            Name = Environment.GetEnvironmentVariable("LIKES_STREAM") ?? "LIKES",
            Partitions = int.TryParse(Environment.GetEnvironmentVariable("LIKES_PARTITIONS"), out var p) ? p : 8,
        };
        var events = new EventPublisher(new NatsJSContext(nats), stream);
        var started = Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            if (await events.PendingAsync("aggregator") == 0 && await events.PendingAsync("persister") == 0)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        return started.Elapsed;
    }
}
