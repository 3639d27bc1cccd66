using System.Globalization;

namespace Likes.Shared;

/// <summary>
/// A content's like count as Redis keeps it: <c>"{count}:{version}"</c>, where version is the
/// <c>content_like_counts.version</c> the count was read at; <c>"d:{version}"</c> once the content is deleted (its count
/// is 0 to everyone). Writers only replace an older version.
/// </summary>
public readonly record struct CounterValue(long Count, long Version, bool Deleted = false)
{
    private const string DeletedMark = "d";

    /// <summary>What readers answer: a deleted content counts 0.</summary>
    public long Shown => Deleted ? 0 : Count;

    public override string ToString()
        => Deleted ? string.Create(CultureInfo.InvariantCulture, $"{DeletedMark}:{Version}") : string.Create(CultureInfo.InvariantCulture, $"{Count}:{Version}");

    public static bool TryParse(string? text, out CounterValue value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        var head = text.AsSpan(0, colon);
        if (head.SequenceEqual(DeletedMark))
        {
            value = new CounterValue(0, version, Deleted: true);
            return true;
        }

        if (!long.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        value = new CounterValue(count, version);
        return true;
    }
}
