using System.ComponentModel.DataAnnotations;

namespace Likes.Shared.Configuration;

public sealed class NatsOptions : ISectionOptions
{
    public static string SectionName => "Nats";

    /// <summary>One or more comma-separated server URLs.</summary>
    [Required]
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>How long a request (publish ack, consumer API call) may wait.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where a daemon's replies arrive (publish acks, fetched messages): subjects of its own, so its NATS user
    /// may subscribe to them and to nobody else's (docs/security.md).
    /// </summary>
    public static string InboxPrefixOf(string daemon) => $"_INBOX.likes_{daemon}";
}
