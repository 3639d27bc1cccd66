using System.Collections.Concurrent;

namespace Likes.Faults.Tests.Load;

public enum RequestKind
{
    Write,
    Read,
}

/// <summary>One answer the edge gave (status 0: no answer at all), when it was asked on the scenario's clock, and how long it took.</summary>
public readonly record struct Answer(RequestKind Kind, TimeSpan At, TimeSpan Latency, int Status, bool Degraded, TimeSpan? RetryAfter)
{
    /// <summary>A write accepted, or a read answered in full.</summary>
    public bool Normal => Kind == RequestKind.Write ? Status == 202 : Status == 200 && !Degraded;

    public TimeSpan End => At + Latency;
}

/// <summary>Every answer of a run, and when the last abnormal one came.</summary>
public sealed class Answers
{
    private readonly ConcurrentQueue<Answer> _all = new();
    private long _lastAbnormalTicks = -1;

    public IReadOnlyCollection<Answer> All => _all;

    public TimeSpan? LastAbnormal => Interlocked.Read(ref _lastAbnormalTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    public void Add(Answer answer)
    {
        _all.Enqueue(answer);
        if (!answer.Normal)
        {
            var end = answer.End.Ticks;
            long seen;
            while ((seen = Interlocked.Read(ref _lastAbnormalTicks)) < end && Interlocked.CompareExchange(ref _lastAbnormalTicks, end, seen) != seen)
            {
            }
        }
    }

    /// <summary>Answers to requests sent while the fault was in place.</summary>
    public IEnumerable<Answer> Between(TimeSpan from, TimeSpan to, RequestKind kind) => _all.Where(a => a.Kind == kind && a.At >= from && a.At <= to);

    public long ServerErrors(RequestKind kind) => _all.LongCount(a => a.Kind == kind && a.Status >= 500);
}
