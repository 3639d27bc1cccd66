using System.Globalization;

namespace Likes.Edge.Reads;

/// <summary>The query of my-likes: <c>limit</c> 1–100 (default 20) and the optional <c>cursor</c> of the previous page.</summary>
public static class MyLikesQuery
{
    public const string Limit = "limit";

    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    public static readonly string LimitRule = $"must be an integer from 1 to {MaxLimit}";

    public static bool TryParse(IQueryCollection query, long userId, MyLikesCursor cursors, out int limit, out (long LikedAtMs, long ContentId)? after, IDictionary<string, string[]> errors)
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

        if (query.TryGetValue(MyLikesCursor.Name, out var cursor)
            && (cursor.Count != 1 || !cursors.TryDecode(cursor[0], userId, out after)))
        {
            errors[MyLikesCursor.Name] = [MyLikesCursor.Rule];
        }

        return errors.Count == 0;
    }
}
