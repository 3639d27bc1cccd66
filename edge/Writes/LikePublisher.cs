using System.Diagnostics;
using Likes.Edge.Options;
using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Likes.Shared.Partitioning;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Edge.Writes;

/// <summary>
/// Makes a like, an unlike or another of a user's writes (<see cref="LikeAction"/>) durable: one event on the user's partition subject, accepted only once the
/// stream acked it. Anything short of an ack within <see cref="EdgeOptions.PublishTimeout"/> is
/// <see cref="PublishOutcome.Unavailable"/>: the edge writes nothing else, so there is nothing half-written.
/// </summary>
public sealed partial class LikePublisher(
    INatsJSContext js,
    StreamSequenceGuard sequences,
    StreamEpochWatch epochs,
    IdempotencyKeys idempotencyKeys,
    IOptions<StreamOptions> stream,
    IOptions<EdgeOptions> edge,
    PublishMetrics metrics,
    TimeProvider time,
    ILogger<LikePublisher> log) : ILikeWrites
{
    private readonly StreamOptions _stream = stream.Value;
    private readonly TimeSpan _timeout = edge.Value.PublishTimeout;

    Task<PublishOutcome> ILikeWrites.WriteAsync(long userId, long contentId, LikeAction action, string? idempotencyKey, CancellationToken requestAborted)
        => PublishAsync(userId, contentId, action, idempotencyKey, requestAborted);

    public async Task<PublishOutcome> PublishAsync(long userId, long contentId, LikeAction action, string? idempotencyKey, CancellationToken requestAborted)
    {
        var now = time.GetUtcNow();
        var e = new LikeEvent(Guid.CreateVersion7(now), userId, contentId, action, now.ToUnixTimeMilliseconds());
        // A user's events share their partition (their order is theirs); a content's deletion, which names no user, its content's.
        var partition = Partitioner.PartitionOf(action.HasUser() ? userId : contentId, _stream.Partitions);
        var subject = _stream.EventSubject(partition);

        using var activity = LikesTelemetry.Source.StartActivity("publish like", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "nats");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", subject);
        activity?.SetTag("likes.partition", partition);

        var opts = idempotencyKey is null ? null : new NatsJSPubOpts { MsgId = IdempotencyKey.MessageId(userId, idempotencyKey) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(_timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (idempotencyKey is not null && await idempotencyKeys.ClaimAsync(userId, idempotencyKey, contentId, action, timeout.Token) == IdempotencyKeys.Claim.OtherWrite)
            {
                metrics.KeyReused();
                return PublishOutcome.KeyReused;
            }

            var sent = sequences.Sending();
            var ack = await js.PublishAsync(subject, LikeEventCodec.Encode(e), opts: opts, headers: TraceHeaders(activity ?? Activity.Current), cancellationToken: timeout.Token);
            if (!ack.Duplicate)
            {
                ack.EnsureSuccess();
            }

            var trusted = sequences.Trust(ack.Seq, ack.Duplicate, sent);
            if (trusted)
            {
                // Off the request's path: a slow or refused read never delays a write.
                _ = epochs.CheckAsync(CancellationToken.None);
            }
            else if (await epochs.CheckAsync(timeout.Token))
            {
                // Refused against the marks of a stream since created anew: judged again against the new one.
                trusted = sequences.Trust(ack.Seq, ack.Duplicate, sent);
            }

            if (!trusted)
            {
                metrics.Failed(PublishMetrics.SequenceReused, Stopwatch.GetElapsedTime(started));
                activity?.SetStatus(ActivityStatusCode.Error, PublishMetrics.SequenceReused);
                SequenceReused(log, subject, ack.Seq);
                return PublishOutcome.Unavailable;
            }

            metrics.Published(action, ack.Duplicate, Stopwatch.GetElapsedTime(started));
            Published(log, action, contentId, userId, ack.Seq, ack.Duplicate);
            return ack.Duplicate ? PublishOutcome.Duplicate : PublishOutcome.Accepted;
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or NatsException or TimeoutException or IOException)
        {
            // A timed-out publish may still land later; a client retrying with the same Idempotency-Key stays safe.
            var reason = ex switch
            {
                OperationCanceledException or TimeoutException => PublishMetrics.Timeout,
                NatsJSApiException => PublishMetrics.Rejected,
                _ => PublishMetrics.Unreachable,
            };
            metrics.Failed(reason, Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            PublishFailed(log, ex, subject, reason);
            return PublishOutcome.Unavailable;
        }
    }

    /// <summary>
    /// The W3C trace context (traceparent, tracestate) of the publish span, so consumers continue the trace. With
    /// tracing off there is no such span: a caller's sampled trace still travels on (from the request's activity),
    /// and an unsampled one costs the message no headers.
    /// </summary>
    private static NatsHeaders? TraceHeaders(Activity? activity)
    {
        if (activity is not { Recorded: true })
        {
            return null;
        }

        var headers = new NatsHeaders();
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) => ((NatsHeaders)carrier!)[name] = value);
        return headers;
    }

    // Off unless asked for (Logging:LogLevel:Likes=Debug): which stream sequence holds which write, to trace a lost one.
    [LoggerMessage(EventId = 3, Level = LogLevel.Debug,
        Message = "Published {Action} of content {ContentId} for user {UserId} at stream sequence {Sequence} (duplicate: {Duplicate})")]
    private static partial void Published(ILogger logger, LikeAction action, long contentId, long userId, ulong sequence, bool duplicate);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "The stream acked a publish to {Subject} at sequence {Sequence}, which it had handed out before the connection dropped and may have handed out again (a restart that lost the tail of its stream); answering 503 until it shows it kept its tail or its sequence is past the old one")]
    private static partial void SequenceReused(ILogger logger, string subject, ulong sequence);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Publish to {Subject} failed ({Reason}); answering 503")]
    private static partial void PublishFailed(ILogger logger, Exception exception, string subject, string reason);
}
