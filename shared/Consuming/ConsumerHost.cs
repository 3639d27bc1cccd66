using Likes.Shared.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;

namespace Likes.Shared.Consuming;

/// <summary>
/// Runs one <see cref="PartitionConsumer"/> per partition this replica owns, until shutdown. Stopping lets each
/// loop finish the batch in hand (applied and acked); only when the host's shutdown time runs out is that cut short.
/// </summary>
public sealed class ConsumerHost(
    INatsJSContext js,
    IOptions<StreamOptions> stream,
    IOptions<ConsumerOptions> options,
    WorkerIdentity worker,
    IEventBatchHandler handler,
    IAppliedPositions positions,
    DeadLetters deadLetters,
    ConsumerMetrics metrics,
    ConsumerProgress progress,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        progress.StallTimeout = options.Value.StallTimeout;
        var logger = loggers.CreateLogger<PartitionConsumer>();
        var loops = options.Value.OwnedPartitions(stream.Value.Partitions)
            .Select(p => new PartitionConsumer(p, js, stream.Value, options.Value, worker, handler, positions, deadLetters, metrics, progress, clock, logger))
            .Select(c => Task.Run(() => c.RunAsync(stoppingToken, _abort.Token), CancellationToken.None))
            .ToList();
        await Task.WhenAll(loops);
    }

    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout is up: then batches in hand are abandoned (redelivered later).</param>
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
}
