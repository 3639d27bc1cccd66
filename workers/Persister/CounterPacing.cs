using Likes.Shared;

namespace Likes.Persister;

/// <summary>
/// Which counters may be written now: each content's counter at most once per interval, however often its count
/// moves. A count that arrives within the interval of the content's last write waits for the next slot, replacing
/// an older one waiting (only the newest version matters: writes are absolute). Times are the caller's ticks.
/// Not thread-safe; the owner serialises calls.
/// </summary>
public sealed class CounterPacing(long intervalTicks)
{
    private readonly Dictionary<long, long> _lastWrite = [];
    private readonly Queue<(long Content, long At)> _writes = new();
    private readonly Dictionary<long, CounterValue> _waiting = [];

    /// <summary>Counts waiting for their content's next slot.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Takes fresh counts: returns those to write now (their content had no write within the interval); the rest wait.</summary>
    public List<KeyValuePair<long, CounterValue>> Admit(IEnumerable<KeyValuePair<long, CounterValue>> counts, long now)
    {
        var due = Release(now);
        foreach (var (content, value) in counts)
        {
            if (_lastWrite.ContainsKey(content))
            {
                if (!_waiting.TryGetValue(content, out var older) || older.Version < value.Version)
                {
                    _waiting[content] = value;
                }
            }
            else
            {
                Written(content, now);
                due.Add(new(content, value));
            }
        }

        return due;
    }

    /// <summary>The waiting counts whose slot has come; their contents' slots start again now.</summary>
    public List<KeyValuePair<long, CounterValue>> Release(long now)
    {
        var due = new List<KeyValuePair<long, CounterValue>>();
        while (_writes.TryPeek(out var oldest) && now - oldest.At >= intervalTicks)
        {
            // One entry per content: a content is queued again only after its entry left.
            _writes.Dequeue();
            _lastWrite.Remove(oldest.Content);
            if (_waiting.Remove(oldest.Content, out var value))
            {
                Written(oldest.Content, now);
                due.Add(new(oldest.Content, value));
            }
        }

        return due;
    }

    /// <summary>Every waiting count, whatever its slot: what a stopping persister writes last.</summary>
    public List<KeyValuePair<long, CounterValue>> Drain()
    {
        var all = _waiting.ToList();
        _waiting.Clear();
        return all;
    }

    private void Written(long content, long now)
    {
        _lastWrite[content] = now;
        _writes.Enqueue((content, now));
    }
}
