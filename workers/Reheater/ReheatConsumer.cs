using System.Threading.RateLimiting;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Reheating;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;

namespace Likes.Reheater;

/// <summary>
/// Takes rebuild requests from the reheat work queue (shared by every replica) in the consumer loop's shape: a
/// batch fetched, its rebuilds run with bounded concurrency and a bounded start rate against PostgreSQL, then each
/// request acked as its outcome says. One still behind PostgreSQL comes back after a delay; one that failed (a store
/// outage) is not acked and comes back after AckWait, up to the consumer's MaxDeliver.
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

    private readonly CancellationTokenSource _abort = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // An idle queue is normal here: readiness is "the stream is reachable", not "requests keep coming".
        progress.StallTimeout = TimeSpan.MaxValue;
        using var rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.RebuildsPerSecond,
            TokensPerPeriod = options.Value.RebuildsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        await new Loop(js, stream.Value, options.Value, rebuilder, metrics, progress, rate, logger).RunAsync(stoppingToken, _abort.Token);
    }

    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout is up: rebuilds in hand are then abandoned (redelivered).</param>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(_abort.Cancel))
        {
            await base.StopAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    /// <summary>A fetched request and what became of it: null while not yet handled, or when it failed (left unacked).</summary>
    private sealed class Taken(INatsJSMsg<byte[]> message)
    {
        public INatsJSMsg<byte[]> Message { get; } = message;

        public RebuildOutcome? Outcome { get; set; }
    }

    private sealed class Loop(
        INatsJSContext js,
        StreamOptions stream,
        ReheaterOptions options,
        TimelineRebuilder rebuilder,
        ReheaterMetrics metrics,
        ConsumerProgress progress,
        RateLimiter rate,
        ILogger logger)
        : ConsumerLoop<INatsJSConsumer, List<Taken>>(progress, ProgressSlot, new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10)), logger)
    {
        protected override async Task<INatsJSConsumer> OpenAsync(CancellationToken cancellationToken)
            => await js.CreateOrUpdateConsumerAsync(stream.ReheatStreamName, LikesTopology.ReheatConsumer(stream, options.AckWait), cancellationToken);

        protected override async Task<List<Taken>> FetchAsync(INatsJSConsumer session, CancellationToken stopping)
        {
            var batch = new List<Taken>(options.FetchBatch);
            await foreach (var msg in session.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = options.FetchBatch, Expires = options.IdleFetch }, cancellationToken: stopping))
            {
                batch.Add(new Taken(msg));
            }

            return batch;
        }

        protected override bool IsEmpty(List<Taken> batch) => batch.Count == 0;

        protected override Task IdleAsync(INatsJSConsumer session, CancellationToken stopping, CancellationToken abort) => Task.CompletedTask;

        protected override Task ApplyAsync(INatsJSConsumer session, List<Taken> batch, CancellationToken stopping, CancellationToken abort)
            => Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = abort }, async (taken, ct) =>
            {
                if (!ReheatRequest.TryParse(taken.Message.Data ?? [], out var request))
                {
                    InvalidRequest(Logger, taken.Message.Data?.Length ?? 0);
                    taken.Outcome = RebuildOutcome.Invalid;
                    return;
                }

                using var lease = await rate.AcquireAsync(1, ct);
                try
                {
                    taken.Outcome = await rebuilder.RebuildAsync(request, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    RebuildFailed(Logger, ex);
                }
            });

        protected override async Task AckAsync(INatsJSConsumer session, List<Taken> batch, CancellationToken abort)
        {
            foreach (var taken in batch)
            {
                switch (taken.Outcome)
                {
                    case RebuildOutcome.Invalid:
                        await taken.Message.AckTerminateAsync(cancellationToken: abort);
                        break;
                    case RebuildOutcome.StillBehind:
                        // PostgreSQL has not caught up yet: asked again later rather than dropped (MaxDeliver bounds it).
                        await taken.Message.NakAsync(new AckOpts { NakDelay = options.StillBehindRedelivery }, cancellationToken: abort);
                        break;
                    case null:
                        break;
                    default:
                        await taken.Message.AckAsync(cancellationToken: abort);
                        break;
                }
            }
        }

        protected override void Record(INatsJSConsumer session, List<Taken> batch)
        {
            foreach (var taken in batch)
            {
                if (taken.Outcome is { } outcome)
                {
                    metrics.Taken(outcome);
                }
            }
        }
    }

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Dropped a reheat request that is not \"<user id>\" or \"<user id> refresh\" ({Bytes} bytes)")]
    private static partial void InvalidRequest(ILogger logger, int bytes);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "A timeline rebuild failed; the request will be redelivered")]
    private static partial void RebuildFailed(ILogger logger, Exception exception);
}
