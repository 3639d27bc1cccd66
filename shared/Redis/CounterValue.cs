using System.Globalization;

namespace Likes.Shared;

/// <summary>
/// A content's like count as Redis keeps it: <c>"{count}:{version}"</c>, where version is the
/// <c>content_like_counts.version</c> the count was read at. Writers only replace an older version.
/// </summary>
public readonly record struct CounterValue(long Count, long Version)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count}:{Version}");

    public static bool TryParse(string? text, out CounterValue value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        value = new CounterValue(count, version);
        return true;
    }
}
