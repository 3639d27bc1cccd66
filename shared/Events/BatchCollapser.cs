namespace Likes.Shared.Events;

/// <summary>
/// Collapses a batch, in stream order, to one change per (user, content) whose application leaves exactly
/// the state of applying the events one by one (I1), like times included; applying it again changes
/// nothing (I4). Order of first appearance is kept so output is deterministic.
/// </summary>
public static class BatchCollapser
{
    public static List<PairChange> Collapse(IReadOnlyList<LikeEvent> events)
    {
        var index = new Dictionary<(long, long), int>(events.Count);
        var changes = new List<PairChange>(events.Count);
        foreach (var e in events)
        {
            var key = (e.UserId, e.ContentId);
            if (!index.TryGetValue(key, out var at))
            {
                index[key] = changes.Count;
                changes.Add(new PairChange(e.UserId, e.ContentId, e.Action, e.AcceptedAtMs));
                continue;
            }

            var previous = changes[at];
            changes[at] = (e.Action, previous.Action) switch
            {
                // A like on a like keeps the first like's time.
                (LikeAction.Like, LikeAction.Like) => previous,
                (LikeAction.Like, LikeAction.Unlike) => new PairChange(e.UserId, e.ContentId, LikeAction.Like, e.AcceptedAtMs, Relike: true),
                _ => new PairChange(e.UserId, e.ContentId, LikeAction.Unlike, e.AcceptedAtMs),
            };
        }

        return changes;
    }
}
