using System.Globalization;

namespace Likes.Edge.Reads;

/// <summary>The query of a keyset list (my-likes, likers): <c>limit</c> 1–100 (default 20) and the optional <c>cursor</c> of the previous page.</summary>
public static class PageQuery
{
    public const string Limit = "limit";

    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    public static readonly string LimitRule = $"must be an integer from 1 to {MaxLimit}";

    public static bool TryParse(IQueryCollection query, long owner, PageCursor cursors, out int limit, out (long LikedAtMs, long Id)? after, IDictionary<string, string[]> errors)
    {
        limit = DefaultLimit;
        after = null;
        if (query.TryGetValue(Limit, out var limits)
            && (limits.Count != 1
                || !int.TryParse(limits[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                || limit is < 1 or > MaxLimit))
        {
            errors[Limit] = [LimitRule];
        }

        if (query.TryGetValue(PageCursor.Name, out var cursor)
            && (cursor.Count != 1 || !cursors.TryDecode(cursor[0], owner, out after)))
        {
            errors[PageCursor.Name] = [PageCursor.Rule];
        }

        return errors.Count == 0;
    }
}
