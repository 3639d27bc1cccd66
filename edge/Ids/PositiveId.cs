using System.Globalization;

namespace Likes.Edge.Ids;

/// <summary>
/// User and content ids: 1 … 9223372036854775807 in plain decimal digits. No sign, whitespace, separators,
/// exponent or hex, and no overflow (NumberStyles.None with the invariant culture refuses them all).
/// </summary>
public static class PositiveId
{
    public const string Rule = "must be a positive 64-bit integer";

    public static bool TryParse(string? text, out long id)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    public static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);
}
