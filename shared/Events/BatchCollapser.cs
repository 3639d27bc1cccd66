namespace Likes.Shared.Events;

/// <summary>
/// Collapses a batch, in stream order, to one change per (user, content): the last action wins, since
/// applying a pair's events in order leaves exactly the state of its last event (I1). Order of first
/// appearance is kept so output is deterministic.
/// </summary>
public static class BatchCollapser
{
    public static List<PairChange> Collapse(IReadOnlyList<LikeEvent> events)
    {
        var index = new Dictionary<(long, long), int>(events.Count);
        var changes = new List<PairChange>(events.Count);
        foreach (var e in events)
        {
            var change = new PairChange(e.UserId, e.ContentId, e.Action, e.AcceptedAtMs);
            if (index.TryGetValue((e.UserId, e.ContentId), out var at))
            {
                changes[at] = change;
            }
            else
            {
                index[(e.UserId, e.ContentId)] = changes.Count;
                changes.Add(change);
            }
        }

        return changes;
    }
}
