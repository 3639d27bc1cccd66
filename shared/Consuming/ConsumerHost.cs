using Likes.Shared.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;

namespace Likes.Shared.Consuming;

/// <summary>Runs one <see cref="PartitionConsumer"/> per partition this replica owns, until shutdown.</summary>
public sealed class ConsumerHost(
    INatsJSContext js,
    IOptions<StreamOptions> stream,
    IOptions<ConsumerOptions> options,
    WorkerIdentity worker,
    IEventBatchHandler handler,
    DeadLetters deadLetters,
    ConsumerMetrics metrics,
    ConsumerProgress progress,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        progress.StallTimeout = options.Value.StallTimeout;
        var logger = loggers.CreateLogger<PartitionConsumer>();
        var loops = options.Value.OwnedPartitions(stream.Value.Partitions)
            .Select(p => new PartitionConsumer(p, js, stream.Value, options.Value, worker, handler, deadLetters, metrics, progress, clock, logger))
            .Select(c => Task.Run(() => c.RunAsync(stoppingToken), CancellationToken.None))
            .ToList();
        await Task.WhenAll(loops);
    }
}
