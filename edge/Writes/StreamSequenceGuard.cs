namespace Likes.Edge.Writes;

/// <summary>
/// Whether a publish ack can be answered <c>202</c> after the connection to the stream server dropped. A
/// single-node nats-server killed mid-write can restart with the tail of its stream gone and hand out those
/// sequences again; the durable consumers are already past them, so events stored under them are never
/// delivered (docs/reliability.md). An ack at or below the highest sequence acknowledged before the drop is
/// refused (503, the client retries), not accepted and lost, however far below it lies; so is one more sequence for
/// each publish not confirmed by an ack at the drop (stored, perhaps applied, its ack lost with the connection). Acks
/// of publishes sent before the drop never arrive after it, and a stream that kept its tail only hands out higher
/// sequences, so nothing it acknowledges beyond those is refused. Only a stream created anew (another epoch,
/// <see cref="Observe"/>: fresh consumers) hands out low sequences legitimately: the guard starts over on it.
/// The highest sequence is this process's: with several edges each guards its own.
/// <para>
/// A duplicate (a retry with the same Idempotency-Key) is acked with its original's sequence, which may lie at
/// or below the mark either way: an original from before the drop, delivered, or one stored since under a
/// reused sequence, never delivered. The first new ack after the drop tells which kind of restart it was:
/// above the mark, the stream kept its tail and such a duplicate is trusted; at or below it, it is refused.
/// </para>
/// </summary>
public sealed class StreamSequenceGuard(bool enabled = true)
{
    private const int Unknown = 0;
    private const int TailKept = 1;
    private const int TailLost = 2;

    private long _highest;

    /// <summary>The highest acknowledged sequence when the connection last dropped: nothing at or below it is trusted since.</summary>
    private long _mark;

    /// <summary>Sequences above the mark the stream may also have stored before the drop (publishes whose acks never came).</summary>
    private long _span;

    /// <summary>What the first new ack since the drop showed of the stream's tail.</summary>
    private int _tail = TailKept;

    /// <summary>Publishes sent so far, numbered in the order they went out.</summary>
    private long _sent;

    /// <summary>
    /// The number of the latest-sent publish a trusted ack answered. One sent before it was stored before it (one
    /// connection, one stream leader): that ack covers it. Every later one may be stored above the highest ack.
    /// </summary>
    private long _confirmed;

    /// <summary>The epoch of the stream the sequences above were acknowledged on; 0 until first read.</summary>
    private long _epoch;

    /// <summary>A publish goes out: its number, for <see cref="Trust"/>.</summary>
    public long Sending() => Interlocked.Increment(ref _sent);

    /// <summary>
    /// The connection to the stream server dropped: whatever comes back must prove it kept its sequence. Beyond the
    /// highest ack, the stream may have stored (and the consumers applied) one sequence for each unconfirmed publish,
    /// its ack lost with the connection or timed out before the drop was seen.
    /// </summary>
    public void Disconnected()
    {
        Interlocked.Exchange(ref _span, Interlocked.Read(ref _sent) - Interlocked.Read(ref _confirmed));
        Interlocked.Exchange(ref _mark, Interlocked.Read(ref _highest));
        Interlocked.Exchange(ref _tail, Unknown);
    }

    /// <summary>
    /// The stream's epoch as the server states it now. Another than the one the guard knew is a stream created anew:
    /// its sequences start over, so the guard does too (and returns true).
    /// </summary>
    public bool Observe(long epoch)
    {
        var known = Interlocked.Exchange(ref _epoch, epoch);
        if (known == 0 || known == epoch)
        {
            return false;
        }

        Interlocked.Exchange(ref _mark, 0);
        Interlocked.Exchange(ref _span, 0);
        Interlocked.Exchange(ref _highest, 0);
        Interlocked.Exchange(ref _tail, TailKept);
        return true;
    }

    /// <summary>True when an event acknowledged at this stream sequence will be delivered to the consumers.</summary>
    /// <param name="duplicate">The stream answered with an earlier publish's sequence (same message id).</param>
    /// <param name="sent">The publish's number from <see cref="Sending"/>; 0 for none.</param>
    public bool Trust(ulong sequence, bool duplicate = false, long sent = 0)
    {
        var acked = (long)sequence;
        var top = Interlocked.Read(ref _mark) + Interlocked.Read(ref _span);
        var reusable = enabled && acked <= top;
        if (duplicate)
        {
            return !reusable || Volatile.Read(ref _tail) == TailKept;
        }

        Interlocked.CompareExchange(ref _tail, acked > top ? TailKept : TailLost, Unknown);
        if (reusable)
        {
            return false;
        }

        long seen;
        while ((seen = Interlocked.Read(ref _highest)) < acked && Interlocked.CompareExchange(ref _highest, acked, seen) != seen)
        {
        }

        while ((seen = Interlocked.Read(ref _confirmed)) < sent && Interlocked.CompareExchange(ref _confirmed, sent, seen) != seen)
        {
        }

        return true;
    }
}
