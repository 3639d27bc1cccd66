using System.Globalization;

namespace Likes.Shared.Ids;

/// <summary>
/// User and content ids: 1 … 9223372036854775807 in plain decimal digits. No sign, whitespace, separators,
/// exponent or hex, and no overflow (NumberStyles.None with the invariant culture refuses them all), and no
/// leading zero: one id has one spelling, so <c>007</c> can never act as, or be cached apart from, <c>7</c>.
/// </summary>
public static class PositiveId
{
    public const string Rule = "must be a positive 64-bit integer in plain decimal digits, without leading zeros";

    public static bool TryParse(string? text, out long id)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && text![0] != '0';

    public static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);
}
