namespace Likes.Edge.Reads;

/// <summary>
/// One log line per interval: during an outage every read fails the same way, and a line (with its stack)
/// per read would flood the logs. The metrics still count every one.
/// </summary>
public sealed class LogThrottle(TimeSpan interval)
{
    private long _nextAllowedMs;

    public bool Allow()
    {
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _nextAllowedMs);
        return now >= next && Interlocked.CompareExchange(ref _nextAllowedMs, now + (long)interval.TotalMilliseconds, next) == next;
    }
}
