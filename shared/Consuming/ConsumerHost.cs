using Likes.Shared.Configuration;
using Likes.Shared.Ownership;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Shared.Consuming;

/// <summary>
/// Runs a <see cref="PartitionConsumer"/> for each partition while this replica holds its lease
/// (<see cref="PartitionLeases"/>): started when the lease is claimed, ended between batches when it is handed over or
/// lost. Stopping lets each loop finish the batch in hand (applied and acked); only when the host's shutdown time runs
/// out is that cut short.
/// </summary>
public sealed class ConsumerHost(
    INatsJSContext js,
    IOptions<StreamOptions> stream,
    IOptions<ConsumerOptions> options,
    WorkerIdentity worker,
    IEventBatchHandler handler,
    IAppliedPositions positions,
    PartitionLeases leases,
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
        progress.WhyIdle = () => !leases.Joined ? "not yet a member: the lease bucket has not answered"
            : leases.Share.Count > 0 ? "waiting for the leases of its partitions" : null;
        var logger = loggers.CreateLogger<PartitionConsumer>();
        var loops = leases.Tenures.Select(t => Task.Run(() => RunWhileHeldAsync(t, logger, stoppingToken), CancellationToken.None)).ToList();
        await Task.WhenAll(loops);
    }

    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout is up: then batches in hand are abandoned (redelivered later).</param>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(_abort.Cancel))
        {
            await base.StopAsync(cancellationToken);
        }

        // An ack is only queued on the connection when AckAsync returns: a round trip after the loops' last acks means
        // the server has read them (it reads a connection in order), so the process does not exit with them unsent.
        try
        {
            await js.Connection.PingAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException)
        {
            // NATS gone or the shutdown time up: those acks are redelivered, as after a crash.
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task RunWhileHeldAsync(PartitionTenure tenure, ILogger logger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            CancellationToken ending;
            try
            {
                ending = await tenure.StartAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                using var held = CancellationTokenSource.CreateLinkedTokenSource(stopping, ending);
                var consumer = new PartitionConsumer(tenure, js, stream.Value, options.Value, worker, handler, positions, deadLetters, metrics, progress, clock, logger);
                await consumer.RunAsync(held.Token, _abort.Token);
            }
            finally
            {
                progress.Forget(tenure.Partition);
                tenure.Stopped();
            }
        }
    }
}
