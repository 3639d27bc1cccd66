using System.Threading.RateLimiting;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Reheating;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;

namespace Likes.Reheater;

/// <summary>
/// Takes rebuild requests from the reheat work queue (shared by every replica), runs them with bounded
/// concurrency and a bounded start rate against PostgreSQL, and acks each once handled. A request that
/// fails on a store outage is not acked and comes back after AckWait.
/// </summary>
public sealed partial class ReheatConsumer(
    INatsJSContext js,
    IOptions<StreamOptions> stream,
    IOptions<ReheaterOptions> options,
    TimelineRebuilder rebuilder,
    ReheaterMetrics metrics,
    ConsumerProgress progress,
    ILogger<ReheatConsumer> logger) : BackgroundService
{
    private const int ProgressSlot = 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        // An idle queue is normal here: readiness is "the stream is reachable", not "events keep coming".
        progress.StallTimeout = TimeSpan.MaxValue;
        using var slots = new SemaphoreSlim(o.Concurrency);
        using var rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.RebuildsPerSecond,
            TokensPerPeriod = o.RebuildsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var consumer = await js.CreateOrUpdateConsumerAsync(stream.Value.ReheatStreamName, LikesTopology.ReheatConsumer(stream.Value, o.AckWait), stoppingToken);
                progress.Progressed(ProgressSlot);
                await foreach (var msg in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = o.FetchBatch }, cancellationToken: stoppingToken))
                {
                    progress.Progressed(ProgressSlot);
                    backoff.Reset();
                    await slots.WaitAsync(stoppingToken);
                    using var lease = await rate.AcquireAsync(1, stoppingToken);
                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(HandleAsync(msg, slots, stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                progress.Failing(ProgressSlot, $"reheat stream unavailable: {ex.GetType().Name}");
                var delay = backoff.Next();
                StreamUnavailable(logger, ex, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(running);
    }

    private async Task HandleAsync(INatsJSMsg<byte[]> msg, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            if (!ReheatRequest.TryParse(msg.Data ?? [], out var request))
            {
                metrics.Taken(RebuildOutcome.Invalid);
                InvalidRequest(logger, msg.Data?.Length ?? 0);
                await msg.AckTerminateAsync(cancellationToken: ct);
                return;
            }

            var outcome = await rebuilder.RebuildAsync(request, ct);
            metrics.Taken(outcome);
            if (outcome == RebuildOutcome.StillBehind)
            {
                // PostgreSQL has not caught up with the timeline yet: ask again later rather than drop it (MaxDeliver bounds it).
                await msg.NakAsync(new AckOpts { NakDelay = options.Value.StillBehindRedelivery }, ct);
            }
            else
            {
                await msg.AckAsync(cancellationToken: ct);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Not acked: JetStream redelivers it after AckWait, up to the consumer's MaxDeliver.
            RebuildFailed(logger, ex);
        }
        catch (OperationCanceledException)
        {
            // Shutting down; the request comes back to another replica.
        }
        finally
        {
            slots.Release();
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Reheat stream unavailable; retrying in {DelayMs:F0} ms")]
    private static partial void StreamUnavailable(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Dropped a reheat request that is not \"<user id>\" or \"<user id> refresh\" ({Bytes} bytes)")]
    private static partial void InvalidRequest(ILogger logger, int bytes);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "A timeline rebuild failed; the request will be redelivered")]
    private static partial void RebuildFailed(ILogger logger, Exception exception);
}
