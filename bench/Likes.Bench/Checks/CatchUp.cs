using System.Diagnostics;
using Likes.Fixtures;
using Likes.Shared.Configuration;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Bench.Checks;

/// <summary>Waits until both consumers have applied everything in the stream (pending 0), and says how long that took.</summary>
public static class CatchUp
{
    /// <param name="settle">
    /// How long pending must stay 0 with no new event in the stream before it counts: a write the load gave up
    /// on can still be published by the edge after the load stopped. The time returned is when it first was 0.
    /// </param>
    /// <param name="slow">Called once, with what JetStream says of each consumer, if catching up takes this long.</param>
    public static async Task<TimeSpan> WaitAsync(
        BenchEnvironment env, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan settle = default, (TimeSpan After, Action<string> Report)? slow = null)
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench" });
        var stream = new StreamOptions
        {
            Name = Environment.GetEnvironmentVariable("LIKES_STREAM") ?? "LIKES",
            Partitions = int.TryParse(Environment.GetEnvironmentVariable("LIKES_PARTITIONS"), out var p) ? p : 8,
        };
        var events = new EventPublisher(new NatsJSContext(nats), stream);
        var started = Stopwatch.StartNew();
        (TimeSpan At, ulong LastSequence)? caughtUp = null;
        while (started.Elapsed < timeout)
        {
            if (await events.PendingAsync("aggregator") == 0 && await events.PendingAsync("persister") == 0)
            {
                var last = settle > TimeSpan.Zero ? await events.LastSequenceAsync() : 0;
                if (caughtUp is not { } c || c.LastSequence != last)
                {
                    caughtUp = (started.Elapsed, last);
                }

                if (started.Elapsed - caughtUp.Value.At >= settle)
                {
                    return caughtUp.Value.At;
                }
            }
            else
            {
                caughtUp = null;
            }

            if (slow is { } s && started.Elapsed >= s.After)
            {
                s.Report(await events.DescribeAsync("aggregator", "persister"));
                slow = null;
            }

            await Task.Delay(100, cancellationToken);
        }

        return started.Elapsed;
    }
}
