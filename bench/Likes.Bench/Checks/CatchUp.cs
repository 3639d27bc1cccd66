using System.Diagnostics;
using Likes.Shared;
using Likes.Shared.Configuration;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Bench.Checks;

/// <summary>
/// Waits until both workers have applied every partition to its last event (<see cref="AppliedProgress"/>), and says
/// how long that took and, when it did not happen, what is behind.
/// </summary>
public static class CatchUp
{
    /// <param name="settle">
    /// How long everything must stay applied with no new event in the stream before it counts: a write the load gave
    /// up on can still be published by the edge after the load stopped. The time returned is when it first was.
    /// </param>
    /// <param name="slow">Called once, with what is behind, if catching up takes this long.</param>
    public static async Task<CatchUpResult> WaitAsync(
        BenchEnvironment env, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan settle = default, (TimeSpan After, Action<string> Report)? slow = null)
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench" });
        await using var postgres = NpgsqlDataSource.Create(env.Postgres);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(env.Redis);
        var stream = new StreamOptions
        {
            Name = Environment.GetEnvironmentVariable("LIKES_STREAM") ?? "LIKES",
            Partitions = int.TryParse(Environment.GetEnvironmentVariable("LIKES_PARTITIONS"), out var p) ? p : 8,
        };
        var progress = new AppliedProgress(new NatsJSContext(nats), stream, postgres, redis, new RedisKeys(env.KeyPrefix));
        var started = Stopwatch.StartNew();
        (TimeSpan At, ulong LastSequence)? caughtUp = null;
        IReadOnlyList<string> behind = [];
        while (started.Elapsed < timeout)
        {
            ulong last;
            try
            {
                (last, behind) = await progress.ReadAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is NatsException or RedisException or NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                // A store that does not answer one poll (a loaded machine, a server restarting) is not caught up yet.
                (last, behind) = (0, [$"progress unread: {ex.GetType().Name}: {ex.Message}"]);
            }

            if (behind.Count == 0)
            {
                if (caughtUp is not { } c || c.LastSequence != last)
                {
                    caughtUp = (started.Elapsed, last);
                }

                if (started.Elapsed - caughtUp.Value.At >= settle)
                {
                    return new CatchUpResult(caughtUp.Value.At, []);
                }
            }
            else
            {
                caughtUp = null;
            }

            if (slow is { } s && started.Elapsed >= s.After)
            {
                s.Report(string.Join(Environment.NewLine, behind));
                slow = null;
            }

            await Task.Delay(100, cancellationToken);
        }

        return new CatchUpResult(started.Elapsed, behind);
    }
}

/// <param name="Behind">Empty when caught up; else one line per partition a worker has not applied to its end.</param>
public sealed record CatchUpResult(TimeSpan Elapsed, IReadOnlyList<string> Behind)
{
    public bool CaughtUp => Behind.Count == 0;

    public double TotalSeconds => Elapsed.TotalSeconds;
}
