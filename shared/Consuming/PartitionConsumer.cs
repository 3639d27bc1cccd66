using System.Diagnostics;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Likes.Shared.Ownership;
using Likes.Shared.Streams;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Likes.Shared.Consuming;

/// <summary>
/// The consumer loop of one partition, the same in every worker. It owns its position: the stream sequence it
/// applied, which the worker's handler stores with its effects and <see cref="IAppliedPositions"/> reads back at
/// start. What the server delivers is checked against that position and the stream itself
/// (<see cref="CatchUpAsync"/>), so the loop never acks past an event it did not apply, whatever the server's
/// consumer state says. A store outage is waited out, never acked and never blamed on an event; an event that
/// fails on its own is dead-lettered after MaxDeliver attempts; bytes that are not an event at once.
/// </summary>
public sealed class PartitionConsumer(
    PartitionTenure tenure,
    INatsJSContext js,
    StreamOptions stream,
    ConsumerOptions options,
    WorkerIdentity worker,
    IEventBatchHandler handler,
    IAppliedPositions positions,
    DeadLetters deadLetters,
    ConsumerMetrics metrics,
    ConsumerProgress progress,
    TimeProvider clock,
    ILogger logger)
    : ConsumerLoop<PartitionConsumer.Session, List<INatsJSMsg<byte[]>>>(progress, tenure.Partition, new Backoff(options.BackoffInitial, options.BackoffMax), logger)
{
    private int Partition => Slot;

    /// <summary>Links kept per batch span: enough to follow any sampled request, bounded for large batches.</summary>
    private const int MaxTraceLinks = 64;

    /// <summary>
    /// The expiry of a no-wait fetch. The server answers a no-wait fetch at once, so it matters only when the
    /// connection drops mid-fetch: the client then sends the request again without no-wait, and the server holds
    /// it as a waiting pull for this long (the client's default, 30 s, left the partition unapplied that long).
    /// </summary>
    private static readonly TimeSpan NoWaitExpiry = TimeSpan.FromSeconds(2);

    private readonly PartitionStream _stream = new(js, stream, tenure.Partition);
    private readonly Backoff _outage = new(options.BackoffInitial, options.BackoffMax);
    private readonly ConnectionDrops _drops = ConnectionDrops.Of(js.Connection);

    /// <summary>An open durable consumer and what the loop knows of the stream behind it.</summary>
    public sealed class Session(INatsJSConsumer consumer, long epoch, ulong position, int heldByPrevious, long drops)
    {
        public INatsJSConsumer Consumer { get; } = consumer;

        /// <summary>
        /// Connection drops counted when the session opened. The server on the other side of a reconnect may have
        /// restarted with another stream state (a lost tail, a stream created again): the session is opened anew.
        /// </summary>
        public long Drops { get; } = drops;

        /// <summary>The stream's epoch (<see cref="StreamEpoch"/>): positions of another stream count from 0.</summary>
        public long Epoch { get; } = epoch;

        /// <summary>The highest stream sequence of the partition applied: nothing at or below it is applied again.</summary>
        public ulong Position { get; set; } = position;

        /// <summary>
        /// Events a previous owner was delivered and never acked: they count against MaxAckPending until the server
        /// redelivers them (after AckWait) and this loop acks them, so fetches ask only for the room left.
        /// </summary>
        public int HeldByPrevious { get; set; } = heldByPrevious;

        /// <summary>Whether the session acked a batch yet: events recovered before its first are the previous owner's held range.</summary>
        public bool Acked { get; set; }
    }

    protected override bool IsStale(Session session) => _drops.Count != session.Drops;

    protected override async Task<Session> OpenAsync(CancellationToken cancellationToken)
    {
        var drops = _drops.Count;
        var consumer = await js.CreateOrUpdateConsumerAsync(stream.Name, LikesTopology.EventConsumer(stream, options, worker.Name, Partition), cancellationToken);
        // Read after the consumer exists: a stream created again in between fails the first fetch, and the session with it.
        var info = (await js.GetStreamAsync(stream.Name, cancellationToken: cancellationToken)).Info;
        var epoch = StreamEpoch.Of(info);
        var position = (await positions.ReadAsync(Partition, cancellationToken)).In(epoch);
        if (position > info.State.LastSeq)
        {
            // The stream lost its tail (a single server's store behind what it acknowledged). The edge refuses writes
            // stored under the sequences it hands out again (503); applying nothing at or below the position agrees.
            metrics.Rewound();
            ConsumerLog.StreamRewound(Logger, Partition, position, info.State.LastSeq);
        }

        ConsumerLog.Consuming(Logger, Partition, worker.DurableName(Partition), position);
        return new Session(consumer, epoch, position, (int)consumer.Info.NumAckPending, drops);
    }

    /// <summary>
    /// Takes what is waiting, up to a batch. When nothing is, waits for the first event, lets the batch window
    /// gather more, then takes those: low latency when quiet, full batches under load. A fetch is never abandoned
    /// half-read, which would leave delivered events behind the batch: only the wait for the first event ends on a stop.
    /// </summary>
    protected override async Task<List<INatsJSMsg<byte[]>>> FetchAsync(Session session, CancellationToken stopping)
    {
        var consumer = session.Consumer;
        var room = (int)Math.Max(1, Math.Min(options.BatchSize, consumer.Info.Config.MaxAckPending - session.HeldByPrevious));
        var batch = new List<INatsJSMsg<byte[]>>(room);
        await foreach (var msg in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = room, Expires = NoWaitExpiry }, cancellationToken: CancellationToken.None))
        {
            batch.Add(msg);
        }

        if (batch.Count > 0)
        {
            return batch;
        }

        await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1, Expires = options.IdleFetch }, cancellationToken: stopping))
        {
            batch.Add(msg);
        }

        if (batch.Count == 0 || room == 1)
        {
            return batch;
        }

        // A stop during the window ends the window, not the batch: what was delivered is applied and acked. The
        // no-wait fetch is answered at once, so it runs to its end whatever the stop.
        await Pause.ForAsync(options.BatchWindow, stopping, clock);
        await foreach (var msg in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = room - 1, Expires = NoWaitExpiry }, cancellationToken: CancellationToken.None))
        {
            batch.Add(msg);
        }

        return batch;
    }

    protected override bool IsEmpty(List<INatsJSMsg<byte[]>> batch) => batch.Count == 0;

    /// <summary>
    /// Nothing was delivered for an idle fetch: events of the partition stored longer ago than that, above the
    /// position, are events the server passed over (moved the consumer past without delivering them).
    /// </summary>
    protected override Task IdleAsync(Session session, CancellationToken stopping, CancellationToken abort)
    {
        metrics.Position(Partition, 0, TimeSpan.Zero);
        return CatchUpAsync(session, before: null, RecoveryPath.Idle, stopping, abort);
    }

    protected override async Task ApplyAsync(Session session, List<INatsJSMsg<byte[]>> batch, CancellationToken stopping, CancellationToken abort)
    {
        if (batch.Exists(m => Sequence(m) <= session.Position))
        {
            await EnsureSameStreamAsync(session, abort);
        }

        var fresh = batch.FindIndex(m => Sequence(m) > session.Position);
        if (fresh < 0)
        {
            // Redelivered, all of it, and applied before: acked without applying anything twice.
            ConsumerLog.SkippedRedelivered(Logger, batch.Count, Partition, session.Position);
            return;
        }

        if (batch.Exists(m => Sequence(m) > session.Position && m.Metadata?.NumDelivered > 1))
        {
            // Only the stream says which held events lie between redeliveries and what follows them: the batch's
            // stretch is applied from there, in order; its messages are then acked as applied.
            await CatchUpAsync(session, batch.Max(Sequence) + 1, RecoveryPath.Redelivered, stopping, abort);
            return;
        }

        await CatchUpAsync(session, Sequence(batch[fresh]), session.HeldByPrevious > 0 && !session.Acked ? RecoveryPath.Held : RecoveryPath.Gap, stopping, abort);
        var run = new List<StreamEvent>(batch.Count - fresh);
        var last = session.Position;
        for (var i = fresh; i < batch.Count; i++)
        {
            var m = batch[i];
            if (Sequence(m) <= last)
            {
                // A redelivery among new events (a dead owner's held event, after AckWait): applied before, only acked.
                continue;
            }

            last = Sequence(m);
            run.Add(new StreamEvent(Sequence(m), m.Subject, m.Data ?? [], m.Metadata?.Timestamp ?? clock.GetUtcNow(), TraceOf(m.Headers)));
        }

        await ApplyRunAsync(session, run, stopping, abort);
    }

    protected override async Task AckAsync(Session session, List<INatsJSMsg<byte[]>> batch, CancellationToken abort)
    {
        EnsureHeld();
        // One explicit ack per event: each acks exactly an event this loop was handed and applied (or found applied).
        // An ack-all costs nats-server up to 2.10.27 a walk of the whole R1 interest stream per ack (docs/benchmarks.md).
        var redelivered = 0;
        foreach (var m in batch)
        {
            await m.AckAsync(cancellationToken: abort);
            redelivered += m.Metadata?.NumDelivered > 1 ? 1 : 0;
        }

        session.HeldByPrevious = Math.Max(0, session.HeldByPrevious - redelivered);
        session.Acked = true;
    }

    protected override void Record(Session session, List<INatsJSMsg<byte[]>> batch)
    {
        var last = batch[^1].Metadata;
        var pending = last?.NumPending ?? 0;
        metrics.Position(Partition, pending, pending == 0 ? TimeSpan.Zero : clock.GetUtcNow() - (last?.Timestamp ?? clock.GetUtcNow()));
    }

    /// <summary>
    /// The one place the loop reads the stream itself: the partition's events above the position and below
    /// <paramref name="before"/> (the first event delivered above the position, or just past a batch holding
    /// redeliveries), or, after an idle fetch, those stored before it began. Such events were delivered to someone
    /// else (a previous owner that died holding them: <see cref="RecoveryPath.Held"/>), out of stream order
    /// (<see cref="RecoveryPath.Redelivered"/>) or not at all (<see cref="RecoveryPath.Gap"/>,
    /// <see cref="RecoveryPath.Idle"/>): they are applied first, in order, a batch at a time.
    /// </summary>
    private async Task CatchUpAsync(Session session, ulong? before, RecoveryPath path, CancellationToken stopping, CancellationToken abort)
    {
        if (before is { } b && b == session.Position + 1)
        {
            return;
        }

        var storedBefore = clock.GetUtcNow() - options.IdleFetch;
        while (true)
        {
            var run = await _stream.ReadAsync(session.Position, before, storedBefore, options.BatchSize, abort);
            if (run.Count == 0)
            {
                return;
            }

            metrics.Recovered(path, run.Count);
            ConsumerLog.AppliedFromStream(Logger, path is RecoveryPath.Held or RecoveryPath.Redelivered ? LogLevel.Warning : LogLevel.Error, run.Count, Partition, run[^1].Sequence, path.ToString(), worker.DurableName(Partition));
            await ApplyRunAsync(session, run, stopping, abort);
        }
    }

    /// <summary>
    /// Applies a contiguous run of the partition's events above the position: what does not decode is dead-lettered
    /// first (so the position never passes a letter not yet set aside), the rest goes to the handler as one batch, which
    /// records the run's position with its effects (a run of letters only: the position alone).
    /// </summary>
    private async Task ApplyRunAsync(Session session, List<StreamEvent> run, CancellationToken stopping, CancellationToken abort)
    {
        var events = new List<(StreamEvent Source, LikeEvent Event)>(run.Count);
        foreach (var e in run)
        {
            if (LikeEventCodec.TryDecode(e.Payload.Span, out var decoded, out var reason))
            {
                events.Add((e, decoded));
            }
            else
            {
                await DeadLetterAsync(new DeadLetter(e.Payload.ToArray(), e.Subject, e.Sequence, "undecodable", reason), abort);
            }
        }

        using (StartBatchActivity(run))
        {
            await ApplyBatchAsync(session, events, run[^1].Sequence, run[0].StoredAt, stopping, abort);
        }

        session.Position = run[^1].Sequence;
    }

    /// <summary>Applies the events as one batch; waits out a store outage; when the events themselves fail, one at a time.</summary>
    private async Task ApplyBatchAsync(Session session, List<(StreamEvent Source, LikeEvent Event)> events, ulong through, DateTimeOffset firstStoredAt, CancellationToken stopping, CancellationToken abort)
    {
        var after = new EventPosition(session.Epoch, session.Position);
        var batch = new EventBatch(Partition, events.ConvertAll(e => e.Event), new EventPosition(session.Epoch, through), after, events.ConvertAll(e => e.Source.Sequence));
        if (await TryApplyAsync(batch, firstStoredAt, stopping, abort) is null)
        {
            return;
        }

        ConsumerLog.Isolating(Logger, Partition);
        foreach (var (source, e) in events)
        {
            var single = new EventBatch(Partition, [e], new EventPosition(session.Epoch, source.Sequence), after, [source.Sequence]);
            after = single.Position;
            var attempts = new Backoff(options.BackoffInitial, options.BackoffMax);
            for (var attempt = 1; await TryApplyAsync(single, firstStoredAt, stopping, abort) is { } failure; attempt++)
            {
                if (attempt >= options.MaxDeliver)
                {
                    await DeadLetterAsync(new DeadLetter(source.Payload.ToArray(), source.Subject, source.Sequence, "rejected",
                        $"failed {attempt} times: {failure.GetType().Name}: {failure.Message}"), abort);
                    break;
                }

                await Pause.ForAsync(attempts.Next(), stopping, clock);
                stopping.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Null once the batch is applied; the failure when it failed on its events. A store outage is waited out here.</summary>
    private async Task<Exception?> TryApplyAsync(EventBatch batch, DateTimeOffset firstStoredAt, CancellationToken stopping, CancellationToken abort)
    {
        while (true)
        {
            EnsureHeld();
            var started = Stopwatch.GetTimestamp();
            try
            {
                await handler.ApplyAsync(batch, abort);
                var elapsed = Stopwatch.GetElapsedTime(started);
                metrics.Applied(batch.Events, elapsed);
                ConsumerLog.Applied(Logger, batch.Events.Count, Partition, batch.Position.Sequence, elapsed.TotalMilliseconds);
                _outage.Reset();
                return null;
            }
            catch (Exception ex) when (!abort.IsCancellationRequested && StoreFailure.Of(ex) == FailureKind.Fenced)
            {
                // Its position is stale: the loop starts again from the store's, if the lease is still this replica's.
                metrics.Fenced();
                throw new LeaseLostException(Partition, "the store says another replica applied it further", ex);
            }
            catch (Exception ex) when (!abort.IsCancellationRequested && StoreFailure.Of(ex) is var kind and not FailureKind.Event)
            {
                var delay = _outage.Next();
                metrics.Failed(kind);
                metrics.Unapplied(Partition, clock.GetUtcNow() - firstStoredAt);
                Progress.Failing(Partition, $"store {(kind == FailureKind.Refused ? "refusing" : "unavailable")}: {ex.GetType().Name}");
                ConsumerLog.StoreFailing(Logger, ex, Partition, kind.ToString(), _outage.Attempt, delay.TotalMilliseconds);
                await Pause.ForAsync(delay, stopping, clock);
                stopping.ThrowIfCancellationRequested();
            }
            catch (Exception ex) when (!abort.IsCancellationRequested)
            {
                metrics.Failed(FailureKind.Event);
                return ex;
            }
        }
    }

    /// <summary>
    /// An event at or below the position is acked without being applied: right only on the stream the session opened
    /// on. A stream created again under the same consumer names hands out its new events from sequence 1, to a session
    /// that saw no error while the stream was gone (an empty fetch looks the same).
    /// </summary>
    private async Task EnsureSameStreamAsync(Session session, CancellationToken abort)
    {
        var epoch = StreamEpoch.Of((await js.GetStreamAsync(stream.Name, cancellationToken: abort)).Info);
        if (epoch != session.Epoch)
        {
            throw new StreamRecreatedException(stream.Name, session.Epoch, epoch);
        }
    }

    /// <summary>Nothing is applied or acked by a replica that does not trust its lease now.</summary>
    private void EnsureHeld()
    {
        if (!tenure.Valid)
        {
            throw new LeaseLostException(Partition, "its lease was not renewed within the trust period, or was handed over");
        }
    }

    private async Task DeadLetterAsync(DeadLetter letter, CancellationToken abort)
    {
        await deadLetters.PublishAsync(letter, abort);
        ConsumerLog.DeadLettered(Logger, letter.Sequence, Partition, letter.Kind, letter.Reason);
    }

    private static ulong Sequence(INatsJSMsg<byte[]> msg) => msg.Metadata?.Sequence.Stream ?? 0;

    /// <summary>The publisher's trace context, carried in the message headers (W3C traceparent/tracestate).</summary>
    private static ActivityContext? TraceOf(NATS.Client.Core.NatsHeaders? headers)
    {
        if (headers is null || !headers.TryGetValue("traceparent", out var parent))
        {
            return null;
        }

        headers.TryGetValue("tracestate", out var state);
        return ActivityContext.TryParse(parent.ToString(), state.ToString(), out var context) ? context : null;
    }

    /// <summary>
    /// A span for one batch, linked to the request spans of the events in it (a batch has many parents, so
    /// links rather than a parent). Handlers' own spans nest under it.
    /// </summary>
    private Activity? StartBatchActivity(List<StreamEvent> run)
    {
        if (!LikesTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = run.Where(e => e.Trace is not null).Select(e => new ActivityLink(e.Trace!.Value)).Take(MaxTraceLinks).ToList();
        var activity = LikesTelemetry.Source.StartActivity($"{worker.Name} apply batch", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag("messaging.system", "nats");
        activity?.SetTag("messaging.destination.name", stream.EventSubject(Partition));
        activity?.SetTag("messaging.batch.message_count", run.Count);
        return activity;
    }
}
