using System.Collections.Concurrent;

namespace Likes.Faults.Tests.Load;

/// <summary>What a client learned from one write.</summary>
public enum Outcome
{
    /// <summary>202: the stream has it; it must never be lost.</summary>
    Acknowledged,

    /// <summary>503, a timeout, a broken connection: it may or may not have happened.</summary>
    Unknown,

    /// <summary>4xx: it did not happen.</summary>
    Refused,
}

/// <summary>
/// Every write of a run, per (user, content), in the order the client sent them (a user's requests are
/// sequential). From it, the states PostgreSQL may end in: only acknowledged writes count (Jepsen's rule),
/// and a write whose outcome is unknown may or may not have landed.
/// </summary>
public sealed class History
{
    private readonly ConcurrentDictionary<(long User, long Content), List<(bool Like, Outcome Outcome)>> _pairs = new();
    private long _acknowledged;
    private long _unknown;

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Unknown => Interlocked.Read(ref _unknown);

    public void Record(long user, long content, bool like, Outcome outcome)
    {
        var ops = _pairs.GetOrAdd((user, content), _ => []);
        lock (ops)
        {
            ops.Add((like, outcome));
        }

        Count(outcome);
    }

    /// <summary>
    /// A retry of the pair's last write with the same Idempotency-Key: the same write, not a new one. Its
    /// acknowledgement acknowledges that write (which the stream stored once, whichever copy landed).
    /// </summary>
    public void RecordRetry(long user, long content, Outcome outcome)
    {
        var ops = _pairs[(user, content)];
        lock (ops)
        {
            if (outcome == Outcome.Acknowledged && ops[^1].Outcome != Outcome.Acknowledged)
            {
                ops[^1] = (ops[^1].Like, Outcome.Acknowledged);
                Count(Outcome.Acknowledged);
            }
        }
    }

    /// <summary>
    /// The state each pair must end in (liked or not) when it is known, and the pairs whose end state is
    /// open because a write after the last acknowledged one has an unknown outcome and would change it.
    /// </summary>
    public (Dictionary<(long User, long Content), bool> Final, HashSet<(long User, long Content)> Undetermined) Expected()
    {
        var final = new Dictionary<(long, long), bool>();
        var undetermined = new HashSet<(long, long)>();
        foreach (var (pair, ops) in _pairs)
        {
            lock (ops)
            {
                var last = ops.FindLastIndex(o => o.Outcome == Outcome.Acknowledged);
                var state = last >= 0 && ops[last].Like;
                final[pair] = state;
                if (ops.Skip(last + 1).Any(o => o.Outcome == Outcome.Unknown && o.Like != state))
                {
                    undetermined.Add(pair);
                }
            }
        }

        return (final, undetermined);
    }

    private void Count(Outcome outcome)
    {
        if (outcome == Outcome.Acknowledged)
        {
            Interlocked.Increment(ref _acknowledged);
        }
        else if (outcome == Outcome.Unknown)
        {
            Interlocked.Increment(ref _unknown);
        }
    }
}
