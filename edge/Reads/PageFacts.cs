using Likes.Shared;
using Likes.Edge.Ids;

namespace Likes.Edge.Reads;

/// <summary>
/// What a feed-state read knows about each distinct id of its page, where each fact came from, and why any
/// fact is unknown. Becomes the body: one item per id asked, in request order, duplicates answered each.
/// </summary>
public sealed class PageFacts
{
    private readonly Dictionary<long, int> _index;
    private readonly long?[] _counts;
    private readonly bool?[] _liked;
    private readonly bool[] _deleted;
    private readonly HashSet<DegradedReason> _unknown = [];

    public PageFacts(long[] distinctIds)
    {
        Ids = distinctIds;
        _index = new Dictionary<long, int>(distinctIds.Length);
        for (var i = 0; i < distinctIds.Length; i++)
        {
            _index[distinctIds[i]] = i;
        }

        _counts = new long?[distinctIds.Length];
        _liked = new bool?[distinctIds.Length];
        _deleted = new bool[distinctIds.Length];
    }

    public long[] Ids { get; }

    public int FromRedis { get; private set; }

    public int FromPostgres { get; private set; }

    public IReadOnlyCollection<DegradedReason> Unknown => _unknown;

    /// <summary>The count of the id at <paramref name="index"/> of <see cref="Ids"/>.</summary>
    public void Count(int index, long count, bool fromRedis)
    {
        _counts[index] = count;
        Tally(fromRedis);
    }

    /// <summary>The count of a content, as PostgreSQL gave it.</summary>
    public void CountFromPostgres(long contentId, long count) => Count(_index[contentId], count, fromRedis: false);

    /// <summary>
    /// The counter of the id at <paramref name="index"/>: its count, or that the content is deleted, which decides its
    /// liked-state too (no one likes a deleted content, whatever a timeline still holds).
    /// </summary>
    public void Counter(int index, CounterValue counter, bool fromRedis)
    {
        Count(index, counter.Shown, fromRedis);
        if (counter.Deleted)
        {
            _deleted[index] = true;
            _liked[index] = false;
        }
    }

    public void CounterFromPostgres(long contentId, CounterValue counter) => Counter(_index[contentId], counter, fromRedis: false);

    /// <summary>The caller's liked-state of the id at <paramref name="index"/> of <see cref="Ids"/>.</summary>
    public void Liked(int index, bool liked, bool fromRedis)
    {
        _liked[index] = liked && !_deleted[index];
        Tally(fromRedis);
    }

    /// <summary>The caller's liked-state of a content, as PostgreSQL gave it.</summary>
    public void LikedFromPostgres(long contentId, bool liked) => Liked(_index[contentId], liked, fromRedis: false);

    /// <summary>Some facts stay null; the body will say it is degraded.</summary>
    public void CouldNotKnow(DegradedReason reason) => _unknown.Add(reason);

    public FeedStateBody ToBody(IReadOnlyList<long> requested)
    {
        var items = new FeedStateItem[requested.Count];
        for (var r = 0; r < requested.Count; r++)
        {
            var i = _index[requested[r]];
            items[r] = new FeedStateItem(PositiveId.Format(requested[r]), _counts[i], _liked[i]);
        }

        return new FeedStateBody(items, _unknown.Count > 0 ? true : null);
    }

    private void Tally(bool fromRedis)
    {
        if (fromRedis)
        {
            FromRedis++;
        }
        else
        {
            FromPostgres++;
        }
    }
}
