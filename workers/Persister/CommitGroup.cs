using System.Diagnostics;
using System.Threading.Channels;
using Likes.Shared;
using Likes.Shared.Consuming;
using Microsoft.Extensions.Options;

namespace Likes.Persister;

/// <summary>
/// Group commit: the batches that every partition of this persister hands in while a transaction runs are
/// written together in the next one. Partitions of one process would otherwise contend for the same count
/// rows and commit one after another anyway; one writer does the same work in fewer, larger transactions.
/// A group that fails on its events is retried batch by batch, so each partition gets its own outcome
/// (and the consumer loop can isolate a bad event); a store outage fails them all, and each loop retries.
/// A hosted service, started before the consumer loops and stopped after them, so batches in hand at shutdown commit.
/// </summary>
public sealed partial class CommitGroup : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LikeWriter _writer;
    private readonly PacedCounters _counters;
    private readonly ColdDuplicates _coldDuplicates;
    private readonly PersisterMetrics _metrics;
    private readonly PersisterOptions _options;
    private readonly ILogger<CommitGroup> _logger;

    public CommitGroup(LikeWriter writer, PacedCounters counters, ColdDuplicates coldDuplicates, PersisterMetrics metrics, IOptions<PersisterOptions> options, ILogger<CommitGroup> logger)
    {
        _writer = writer;
        _counters = counters;
        _coldDuplicates = coldDuplicates;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Persists the batch in the next group transaction; returns once it is committed (or throws why not).</summary>
    public Task CommitAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var pending = new Pending(batch, Activity.Current?.Context);
        _queue.Writer.TryWrite(pending);
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var following = Task.CompletedTask;
        try
        {
            following = await CommitGroupsAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped after the consumer loops: nothing is waiting, or what is was abandoned with them.
        }

        await following;
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled(stoppingToken);
        }
    }

    private async Task<Task> CommitGroupsAsync(CancellationToken stoppingToken)
    {
        var lastStart = long.MinValue / 2;
        var following = Task.CompletedTask;
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            // A hot content is in nearly every group (its likers spread over all partitions): spacing the
            // transactions turns a burst into fewer, larger counter writes. Under a backlog a transaction
            // takes longer than the interval and nothing waits.
            var wait = _options.MinGroupInterval - Stopwatch.GetElapsedTime(lastStart);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stoppingToken);
            }

            lastStart = Stopwatch.GetTimestamp();
            var group = new List<Pending>();
            var events = 0;
            while (events < _options.MaxGroupEvents && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
                events += next.Batch.Events.Count;
            }

            try
            {
                following = FollowAsync(following, group, await CommitAsync(group));
            }
            catch (Exception ex) when (group.Count > 1 && !StoreFailure.IsOutage(ex))
            {
                foreach (var one in group)
                {
                    try
                    {
                        following = FollowAsync(following, [one], await CommitAsync([one]));
                    }
                    catch (Exception alone)
                    {
                        one.Done.TrySetException(alone);
                    }
                }
            }
            catch (Exception ex)
            {
                group.ForEach(p => p.Done.TrySetException(ex));
            }
        }

        return following;
    }

    private async Task<PersistOutcome> CommitAsync(List<Pending> group)
    {
        using var activity = LikesTelemetry.Source.StartActivity("persist group", ActivityKind.Internal, group[0].Trace ?? default);
        activity?.SetTag("likes.batches", group.Count);
        var started = Stopwatch.GetTimestamp();
        var outcome = await _writer.WriteAsync(group.ConvertAll(p => p.Batch), CancellationToken.None);
        _metrics.Committed(outcome, group.Count, Stopwatch.GetElapsedTime(started));
        return outcome;
    }

    /// <summary>
    /// What follows a commit, while the next group's transaction runs: the counters to Redis, the cold
    /// duplicates checked, then the batches released to be acked. Groups follow one at a time, in commit order.
    /// </summary>
    private async Task FollowAsync(Task previous, List<Pending> group, PersistOutcome outcome)
    {
        await previous;

        // The counts were read back in the transaction, so a redelivery writes them again. Never a reason to hold
        // the batch either (the write never throws; a hot content's count may wait for its slot).
        await _counters.WriteAsync(outcome.Counts);

        // A hint: a lost one is asked again by the next cold read.
        try
        {
            await _coldDuplicates.RequestRebuildsAsync(outcome.Duplicates).WaitAsync(_options.CounterWriteTimeout);
        }
        catch (Exception ex)
        {
            ColdDuplicatesUnchecked(_logger, ex, outcome.Duplicates.Count);
        }

        group.ForEach(p => p.Done.TrySetResult());
    }

    private sealed record Pending(EventBatch Batch, ActivityContext? Trace)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "Committed a group but could not check {Duplicates} duplicate likes against Redis; reads of cold relations still ask PostgreSQL and request rebuilds")]
    private static partial void ColdDuplicatesUnchecked(ILogger logger, Exception exception, int duplicates);
}
