using System.Globalization;

namespace Likes.Edge.Reads;

/// <summary>How bodies write a like's time: UTC, millisecond precision, e.g. <c>2026-11-24T10:00:00.123Z</c>.</summary>
public static class LikedAtText
{
    public static string Format(long unixMs)
        => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
