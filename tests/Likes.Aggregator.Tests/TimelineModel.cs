using Likes.Shared.Events;

namespace Likes.Aggregator.Tests;

/// <summary>
/// What the timelines must hold once every event is applied, computed one event at a time in the order
/// a user's events were published: a like adds the pair at its time unless already there (the first
/// like's time stands), an unlike removes it. Thread-safe; each user must be published by one lane only.
/// </summary>
public sealed class TimelineModel
{
    private readonly Dictionary<long, SortedDictionary<long, long>> _users = [];
    private readonly Lock _lock = new();

    public void Apply(LikeEvent e)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(e.UserId, out var timeline))
            {
                _users[e.UserId] = timeline = [];
            }

            if (e.Action == LikeAction.Like)
            {
                timeline.TryAdd(e.ContentId, e.AcceptedAtMs);
            }
            else
            {
                timeline.Remove(e.ContentId);
            }
        }
    }

    public void Apply(IEnumerable<LikeEvent> events)
    {
        foreach (var e in events)
        {
            Apply(e);
        }
    }

    public IReadOnlyList<long> Users
    {
        get
        {
            lock (_lock)
            {
                return [.. _users.Keys.Order()];
            }
        }
    }

    /// <summary>The expected (content, like time) of a user, by content id.</summary>
    public IReadOnlyList<(long ContentId, long LikedAtMs)> Expected(long userId)
    {
        lock (_lock)
        {
            return _users.TryGetValue(userId, out var timeline)
                ? [.. timeline.Select(kv => (kv.Key, kv.Value))]
                : [];
        }
    }
}
