namespace Likes.Edge.Writes;

/// <summary>
/// Whether a publish ack can be answered <c>202</c> after the connection to the stream server dropped. A
/// single-node nats-server killed mid-write can restart with the tail of its stream gone and hand out those
/// sequences again; the durable consumers are already past them, so events stored under them are never
/// delivered (docs/reliability.md). An ack at or below the highest sequence acknowledged before the drop is
/// refused (503, the client retries), not accepted and lost. Acks of publishes sent before the
/// drop never arrive after it, and a stream that kept its tail only hands out higher sequences, so nothing
/// it acknowledges is refused. A sequence more than <see cref="Options.EdgeOptions.SequenceReuseWindow"/> below
/// the mark is a stream re-created from nothing (fresh consumers): trusted, and the guard starts over from it.
/// The highest sequence is this process's: with several edges each guards its own.
/// </summary>
public sealed class StreamSequenceGuard(long window)
{
    private long _highest;

    /// <summary>The highest acknowledged sequence when the connection last dropped: nothing at or below it is trusted since.</summary>
    private long _mark;

    /// <summary>The connection to the stream server dropped: whatever comes back must prove it kept its sequence.</summary>
    public void Disconnected() => Interlocked.Exchange(ref _mark, Interlocked.Read(ref _highest));

    /// <summary>True when an event acknowledged at this stream sequence will be delivered to the consumers.</summary>
    public bool Trust(ulong sequence)
    {
        var acked = (long)sequence;
        var mark = Interlocked.Read(ref _mark);
        if (acked <= mark && mark - acked < window)
        {
            return false;
        }

        if (acked <= mark)
        {
            // Far below anything a lost tail explains: a stream re-created from nothing, with consumers to match.
            Interlocked.CompareExchange(ref _mark, 0, mark);
            Interlocked.Exchange(ref _highest, acked);
            return true;
        }

        long seen;
        while ((seen = Interlocked.Read(ref _highest)) < acked && Interlocked.CompareExchange(ref _highest, acked, seen) != seen)
        {
        }

        return true;
    }
}
