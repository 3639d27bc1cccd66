using System.Diagnostics;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Likes.Shared.Streams;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Likes.Shared.Consuming;

/// <summary>
/// The consumer loop of one partition, the same in every worker: fetch a batch, decode it, hand it to the
/// handler, ack its last event, record metrics. A store outage is retried with back-off, never acked and
/// never blamed on an event; an event that fails on its own is dead-lettered after MaxDeliver attempts;
/// bytes that are not an event are dead-lettered at once. The partition keeps flowing either way.
/// </summary>
public sealed class PartitionConsumer(
    int partition,
    INatsJSContext js,
    StreamOptions stream,
    ConsumerOptions options,
    WorkerIdentity worker,
    IEventBatchHandler handler,
    DeadLetters deadLetters,
    ConsumerMetrics metrics,
    ConsumerProgress progress,
    TimeProvider clock,
    ILogger logger)
{
    /// <summary>Links kept per batch span: enough to follow any sampled request, bounded for large batches.</summary>
    private const int MaxTraceLinks = 64;

    /// <summary>
    /// The expiry of a no-wait fetch. The server answers a no-wait fetch at once, so it matters only when the
    /// connection drops mid-fetch: the client then sends the request again without no-wait, and the server
    /// holds it as a waiting pull for this long. With the client's default (30 s) the loop sat that long
    /// inside the fetch after every NATS restart, its partition unapplied. Not lower: the client also ends a
    /// fetch that hears nothing for this long, and a busy server may take a moment to answer.
    /// </summary>
    private static readonly TimeSpan NoWaitExpiry = TimeSpan.FromSeconds(2);

    private readonly Backoff _backoff = new(options.BackoffInitial, options.BackoffMax);

    /// <summary>Highest stream sequence applied by this process; redeliveries at or below it are acked unseen.</summary>
    private ulong _appliedThrough;

    /// <summary>
    /// Events a previous owner was delivered and never acked: they count against MaxAckPending until this
    /// loop's first ack (ack-all) covers them, so fetches ask only for the room left. A fetch asking for more
    /// would wait for room that never comes while the loop holds its own batch unacked.
    /// </summary>
    private int _heldByPrevious;

    /// <summary>The consumer (delivery) sequence of the last message this loop was handed; a jump means deliveries it never saw.</summary>
    private ulong _lastDelivery;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        INatsJSConsumer? consumer = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (consumer is null)
                {
                    consumer = await js.CreateOrUpdateConsumerAsync(
                        stream.Name, LikesTopology.EventConsumer(stream, options, worker.Name, partition), cancellationToken);
                    ConsumerLog.Consuming(logger, partition, worker.DurableName(partition));
                    _heldByPrevious = (int)consumer.Info.NumAckPending;
                    _lastDelivery = consumer.Info.Delivered.ConsumerSeq;
                    _appliedThrough = Math.Max(_appliedThrough, consumer.Info.AckFloor.StreamSeq);
                    await ApplyHeldAsync(consumer.Info, cancellationToken);
                }

                var messages = await FetchAsync(consumer, cancellationToken);
                progress.Progressed(partition);
                if (messages.Count == 0)
                {
                    metrics.Position(partition, 0, TimeSpan.Zero);
                    await ApplyPassedOverAsync(consumer, cancellationToken);
                    continue;
                }

                await ProcessAsync(messages, cancellationToken);
                _backoff.Reset();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = _backoff.Next();
                progress.Failing(partition, $"stream unavailable: {ex.GetType().Name}");
                ConsumerLog.StreamUnavailable(logger, ex, partition, delay.TotalMilliseconds);
                consumer = null;
                await DelayAsync(delay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Takes what is waiting, up to a batch. When nothing is, waits for the first event, lets the batch
    /// window gather more, then takes those: low latency when quiet, full batches under load. A fetch is
    /// never abandoned half-read, which would leave delivered events behind the batch and break order.
    /// </summary>
    private async Task<List<INatsJSMsg<byte[]>>> FetchAsync(INatsJSConsumer consumer, CancellationToken ct)
    {
        var room = (int)Math.Max(1, Math.Min(options.BatchSize, consumer.Info.Config.MaxAckPending - _heldByPrevious));
        var batch = new List<INatsJSMsg<byte[]>>(room);
        await foreach (var msg in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = room, Expires = NoWaitExpiry }, cancellationToken: ct))
        {
            batch.Add(msg);
        }

        if (batch.Count > 0)
        {
            return batch;
        }

        await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1, Expires = options.IdleFetch }, cancellationToken: ct))
        {
            batch.Add(msg);
        }

        if (batch.Count == 0 || room == 1)
        {
            return batch;
        }

        if (options.BatchWindow > TimeSpan.Zero)
        {
            await Task.Delay(options.BatchWindow, clock, ct);
        }

        await foreach (var msg in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = room - 1, Expires = NoWaitExpiry }, cancellationToken: ct))
        {
            batch.Add(msg);
        }

        return batch;
    }

    private async Task ProcessAsync(List<INatsJSMsg<byte[]>> messages, CancellationToken ct)
    {
        await ApplyUnseenAsync(messages[0], ct);
        _lastDelivery = Math.Max(_lastDelivery, messages[^1].Metadata?.Sequence.Consumer ?? 0);
        var events = new List<Received>(messages.Count);
        var rejected = new List<DeadLetter>();
        var skipped = 0;
        foreach (var msg in messages)
        {
            var sequence = msg.Metadata?.Sequence.Stream ?? 0;
            if (sequence != 0 && sequence <= _appliedThrough && msg.Metadata?.NumDelivered == 1)
            {
                // A first delivery at or below what this process applied: the stream's sequence went back (a
                // restarted server that lost its empty stream's state). New events, never to be skipped.
                _appliedThrough = sequence - 1;
            }

            if (sequence != 0 && sequence <= _appliedThrough)
            {
                skipped++;
                continue;
            }

            var payload = msg.Data ?? [];
            if (LikeEventCodec.TryDecode(payload, out var e, out var reason))
            {
                events.Add(new Received(e, msg.Subject, sequence, payload, TraceOf(msg.Headers)));
            }
            else
            {
                rejected.Add(new DeadLetter(payload, msg.Subject, sequence, "undecodable", reason));
            }
        }

        if (skipped > 0)
        {
            ConsumerLog.SkippedRedelivered(logger, skipped, partition, _appliedThrough);
        }

        var first = messages[0].Metadata?.Timestamp ?? clock.GetUtcNow();
        if (events.Count > 0)
        {
            await ApplyAsync(events, rejected, first, ct);
        }

        foreach (var letter in rejected)
        {
            await deadLetters.PublishAsync(letter, ct);
            ConsumerLog.DeadLettered(logger, letter.Sequence, partition, letter.Kind, letter.Reason);
        }

        // Applied now, so a redelivery after a failed ack is skipped, not applied twice.
        var last = messages[^1];
        _appliedThrough = Math.Max(_appliedThrough, last.Metadata?.Sequence.Stream ?? 0);
        await last.AckAsync(cancellationToken: ct);
        _heldByPrevious = 0;
        var pending = last.Metadata?.NumPending ?? 0;
        metrics.Position(partition, pending, pending == 0 ? TimeSpan.Zero : clock.GetUtcNow() - (last.Metadata?.Timestamp ?? clock.GetUtcNow()));
        progress.Progressed(partition);
    }

    /// <summary>
    /// Applies, first, the events a previous owner of the partition was delivered but never acked (it died
    /// mid-batch). When they are fewer than MaxAckPending, JetStream delivers newer events before it
    /// redelivers them, and the ack-all of those newer events would ack them unapplied. So they are read
    /// straight from the stream and applied in order now; their redelivery is then skipped as applied.
    /// </summary>
    private async Task ApplyHeldAsync(ConsumerInfo info, CancellationToken ct)
    {
        var through = info.Delivered.StreamSeq;
        var next = Math.Max(info.AckFloor.StreamSeq, _appliedThrough) + 1;
        if (info.NumAckPending == 0 || next > through)
        {
            return;
        }

        var applied = await ApplyFromStreamAsync(next, through, ct);
        ConsumerLog.AppliedHeld(logger, applied, partition, through);
    }

    /// <summary>
    /// After a fetch that found nothing: applies the events of this partition the server moved the consumer past
    /// without delivering them. nats-server 2.9 was seen to do that after a restart: every consumer's delivered
    /// sequence went to the stream's end, pending said 0, and the events in between (still in the stream, unacked)
    /// never came. An event above what this loop applied, at or below what the server says it delivered, is such an
    /// event (or one a stray pull request took): it is read from the stream and applied here, in order.
    /// </summary>
    private async Task ApplyPassedOverAsync(INatsJSConsumer consumer, CancellationToken ct)
    {
        var source = await js.GetStreamAsync(stream.Name, cancellationToken: ct);
        ulong next;
        try
        {
            next = (await source.GetAsync(new StreamMsgGetRequest { Seq = _appliedThrough + 1, NextBySubj = stream.EventSubject(partition) }, ct)).Message.Seq;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return;
        }

        await consumer.RefreshAsync(ct);
        var delivered = consumer.Info.Delivered.StreamSeq;
        if (next > delivered)
        {
            return;
        }

        var applied = await ApplyFromStreamAsync(next, delivered, ct);
        metrics.PassedOver(applied);
        ConsumerLog.AppliedPassedOver(logger, applied, partition, delivered, worker.DurableName(partition));
    }

    /// <summary>
    /// Applies, before a fetched batch, the events delivered to someone else since this loop's last batch: a
    /// pull request of a dead owner can outlive it on the server and still be handed events, which the
    /// batch's ack-all would then ack unapplied. A jump in the delivery sequence shows it; the stream has them.
    /// </summary>
    private async Task ApplyUnseenAsync(INatsJSMsg<byte[]> first, CancellationToken ct)
    {
        if (first.Metadata is not { } m || m.Sequence.Consumer <= _lastDelivery + 1 || m.Sequence.Stream <= _appliedThrough + 1)
        {
            return;
        }

        var through = m.Sequence.Stream - 1;
        var applied = await ApplyFromStreamAsync(_appliedThrough + 1, through, ct);
        ConsumerLog.AppliedHeld(logger, applied, partition, through);
    }

    /// <summary>
    /// Reads this partition's events in [<paramref name="next"/>, <paramref name="through"/>] straight from the stream
    /// and applies them in order; returns how many there were.
    /// </summary>
    private async Task<int> ApplyFromStreamAsync(ulong next, ulong through, CancellationToken ct)
    {
        var source = await js.GetStreamAsync(stream.Name, cancellationToken: ct);
        var events = new List<Received>();
        var rejected = new List<DeadLetter>();
        DateTimeOffset? first = null;
        while (next <= through)
        {
            StoredMessage held;
            try
            {
                held = (await source.GetAsync(new StreamMsgGetRequest { Seq = next, NextBySubj = stream.EventSubject(partition) }, ct)).Message;
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                break;
            }

            if (held.Seq > through)
            {
                break;
            }

            first ??= held.Time;
            var payload = held.Data.ToArray();
            if (LikeEventCodec.TryDecode(payload, out var e, out var reason))
            {
                events.Add(new Received(e, held.Subject, held.Seq, payload, null));
            }
            else
            {
                rejected.Add(new DeadLetter(payload, held.Subject, held.Seq, "undecodable", reason));
            }

            next = held.Seq + 1;
        }

        if (events.Count > 0)
        {
            await ApplyAsync(events, rejected, first ?? clock.GetUtcNow(), ct);
        }

        foreach (var letter in rejected)
        {
            await deadLetters.PublishAsync(letter, ct);
            ConsumerLog.DeadLettered(logger, letter.Sequence, partition, letter.Kind, letter.Reason);
        }

        _appliedThrough = Math.Max(_appliedThrough, through);
        return events.Count + rejected.Count;
    }

    /// <summary>Applies the batch; on a store outage retries it whole; on an event's own failure isolates the culprit.</summary>
    private async Task ApplyAsync(List<Received> events, List<DeadLetter> rejected, DateTimeOffset firstStoredAt, CancellationToken ct)
    {
        var batch = new EventBatch(partition, events.ConvertAll(r => r.Event), events[^1].Sequence);
        using var activity = StartBatchActivity(events);
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await handler.ApplyAsync(batch, ct);
                var elapsed = Stopwatch.GetElapsedTime(started);
                metrics.Applied(batch.Events, elapsed);
                ConsumerLog.Applied(logger, batch.Events.Count, partition, events[^1].Sequence, elapsed.TotalMilliseconds);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && TransientFailure.Is(ex))
            {
                await WaitOutOutageAsync(ex, firstStoredAt, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                metrics.Failed(transient: false);
                ConsumerLog.Isolating(logger, ex, partition);
                break;
            }
        }

        foreach (var one in events)
        {
            await ApplyAloneAsync(one, rejected, firstStoredAt, ct);
        }
    }

    private async Task ApplyAloneAsync(Received one, List<DeadLetter> rejected, DateTimeOffset firstStoredAt, CancellationToken ct)
    {
        var single = new EventBatch(partition, [one.Event], one.Sequence);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await handler.ApplyAsync(single, ct);
                metrics.Applied(single.Events, TimeSpan.Zero);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && TransientFailure.Is(ex))
            {
                attempt--;
                await WaitOutOutageAsync(ex, firstStoredAt, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                metrics.Failed(transient: false);
                if (attempt >= options.MaxDeliver)
                {
                    rejected.Add(new DeadLetter(one.Payload, one.Subject, one.Sequence, "rejected",
                        $"failed {attempt} times: {ex.GetType().Name}: {ex.Message}"));
                    return;
                }

                await DelayAsync(_backoff.Next(), ct);
            }
        }
    }

    private async Task WaitOutOutageAsync(Exception ex, DateTimeOffset firstStoredAt, CancellationToken ct)
    {
        metrics.Failed(transient: true);
        var delay = _backoff.Next();
        progress.Failing(partition, $"store unavailable: {ex.GetType().Name}");
        metrics.Unapplied(partition, clock.GetUtcNow() - firstStoredAt);
        ConsumerLog.StoreUnavailable(logger, ex, partition, _backoff.Attempt, delay.TotalMilliseconds);
        await DelayAsync(delay, ct);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, clock, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the caller's loop ends on the token.
        }
    }

    private readonly record struct Received(LikeEvent Event, string Subject, ulong Sequence, byte[] Payload, ActivityContext? Trace);

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
    private Activity? StartBatchActivity(List<Received> events)
    {
        var links = events.Where(r => r.Trace is not null).Select(r => new ActivityLink(r.Trace!.Value)).Take(MaxTraceLinks).ToList();
        var activity = LikesTelemetry.Source.StartActivity($"{worker.Name} apply batch", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag("messaging.system", "nats");
        activity?.SetTag("messaging.destination.name", stream.EventSubject(partition));
        activity?.SetTag("messaging.batch.message_count", events.Count);
        return activity;
    }
}
