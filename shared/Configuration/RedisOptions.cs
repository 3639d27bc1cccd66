using System.ComponentModel.DataAnnotations;

namespace Likes.Shared.Configuration;

public sealed class RedisOptions : ISectionOptions
{
    public static string SectionName => "Redis";

    /// <summary>A StackExchange.Redis configuration string (endpoints, user, password, tls...).</summary>
    [Required]
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefixed to every key; short because it is paid once per key in memory.</summary>
    [RegularExpression("^[A-Za-z0-9:_-]{0,16}$")]
    public string KeyPrefix { get; set; } = "l:";
}
