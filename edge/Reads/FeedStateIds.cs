using Likes.Edge.Ids;

namespace Likes.Edge.Reads;

/// <summary>The <c>ids</c> query parameter: 1–100 comma-separated content ids, each a positive 64-bit decimal; duplicates allowed.</summary>
public static class FeedStateIds
{
    public const string Name = "ids";

    public const int Max = 100;

    public static readonly string Rule = $"must be 1 to {Max} comma-separated content ids, each a positive 64-bit integer";

    public static bool TryParse(IQueryCollection query, out long[] ids, IDictionary<string, string[]> errors)
    {
        ids = [];
        if (query.TryGetValue(Name, out var values) && values.Count == 1 && Parse(values[0]) is { } parsed)
        {
            ids = parsed;
            return true;
        }

        errors[Name] = [Rule];
        return false;
    }

    private static long[]? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var ids = new List<long>();
        foreach (var range in text.AsSpan().Split(','))
        {
            if (ids.Count == Max || !PositiveId.TryParse(text[range], out var id))
            {
                return null;
            }

            ids.Add(id);
        }

        return [.. ids];
    }
}
