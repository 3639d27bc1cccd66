using Microsoft.Extensions.Logging;

namespace Likes.Shared.Consuming;

/// <summary>
/// The one shape of every consumer: open a session (the durable consumer), fetch a batch, apply its side effects,
/// ack it, record it; when a fetch finds nothing, look after what the server may have passed over. No ack comes
/// before the effect. A failure of the stream closes the session and backs off (capped, jittered); stopping ends
/// the loop between batches: a batch in hand is applied and acked first (<paramref name="abort"/> of
/// <see cref="RunAsync"/> only cancels when the host runs out of shutdown time).
/// </summary>
public abstract class ConsumerLoop<TSession, TBatch>(ConsumerProgress progress, int slot, Backoff backoff, ILogger logger)
    where TSession : class
{
    /// <summary>Where the loop reports progress (readiness), under <see cref="Slot"/>.</summary>
    protected ConsumerProgress Progress => progress;

    /// <summary>The loop's slot in <see cref="Progress"/>: a partition, or 0 for a loop of its own.</summary>
    protected int Slot => slot;

    protected ILogger Logger => logger;

    protected abstract Task<TSession> OpenAsync(CancellationToken cancellationToken);

    /// <summary>True when what the session knows of the server may no longer hold (the connection dropped since it opened).</summary>
    protected virtual bool IsStale(TSession session) => false;

    /// <summary>The next batch; empty when nothing came within the idle fetch.</summary>
    protected abstract Task<TBatch> FetchAsync(TSession session, CancellationToken stopping);

    protected abstract bool IsEmpty(TBatch batch);

    /// <summary>After a fetch that found nothing.</summary>
    protected abstract Task IdleAsync(TSession session, CancellationToken stopping, CancellationToken abort);

    /// <summary>Applies the batch's side effects; store outages are waited out in here (<paramref name="stopping"/> ends the wait).</summary>
    protected abstract Task ApplyAsync(TSession session, TBatch batch, CancellationToken stopping, CancellationToken abort);

    protected abstract Task AckAsync(TSession session, TBatch batch, CancellationToken abort);

    protected abstract void Record(TSession session, TBatch batch);

    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        TSession? session = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (session is not null && IsStale(session))
                {
                    session = null;
                }

                session ??= await OpenAsync(stopping);
                var batch = await FetchAsync(session, stopping);
                progress.Progressed(slot);
                if (IsEmpty(batch))
                {
                    await IdleAsync(session, stopping, abort);
                    continue;
                }

                await ApplyAsync(session, batch, stopping, abort);
                await AckAsync(session, batch, abort);
                Record(session, batch);
                progress.Progressed(slot);
                backoff.Reset();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Ownership.LeaseLostException ex)
            {
                ConsumerLog.LeaseLost(logger, slot, ex.Reason);
                break;
            }
            catch (Exception ex)
            {
                session = null;
                var delay = backoff.Next();
                progress.Failing(slot, $"{(ex is NATS.Client.Core.NatsException ? "stream" : "store")} unavailable: {ex.GetType().Name}");
                ConsumerLog.StreamUnavailable(logger, ex, slot, delay.TotalMilliseconds);
                await Pause.ForAsync(delay, stopping);
            }
        }
    }
}
