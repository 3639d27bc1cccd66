using System.ComponentModel.DataAnnotations;

namespace Likes.Shared.Configuration;

public sealed class TimelineOptions : ISectionOptions
{
    public static string SectionName => "Timeline";

    /// <summary>N: the newest likes kept per user in Redis.</summary>
    [Range(10, 100_000)]
    public int Size { get; set; } = 1000;

    /// <summary>A timeline untouched (no like, unlike or read) this long expires; active users keep theirs warm. Zero keeps it forever.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan IdleExpiry { get; set; } = TimeSpan.FromDays(3);
}
