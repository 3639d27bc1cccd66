using System.ComponentModel.DataAnnotations;

namespace Likes.Edge.Options;

/// <summary>How bearer tokens are checked (section <c>Edge:Jwt</c>, LIKES_JWT_*).</summary>
public sealed class JwtOptions
{
    /// <summary>The documented local key; only Development falls back to it.</summary>
    public const string DevelopmentKey = "likes-local-development-key-0123456789abcdef";

    /// <summary>HMAC-SHA256 key: at least <see cref="MinimumKeyBytes"/> bytes of UTF-8.</summary>
    public const int MinimumKeyBytes = 32;

    public string? Key { get; set; }

    /// <summary>
    /// During a key rotation only, the key being retired (LIKES_JWT_PREVIOUS_KEY): tokens it signed are still
    /// accepted while the issuer moves to <see cref="Key"/> (docs/security.md). Unset otherwise.
    /// </summary>
    public string? PreviousKey { get; set; }

    /// <summary>Checked only when set.</summary>
    public string? Issuer { get; set; }

    /// <summary>Checked only when set.</summary>
    public string? Audience { get; set; }

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The claim that lists a token's roles (LIKES_JWT_ROLES_CLAIM): a service token carries <see cref="AdminRole"/> in it.</summary>
    [Required]
    public string RolesClaim { get; set; } = "roles";

    /// <summary>The role the service-to-service endpoints (a content's deletion) require.</summary>
    public const string AdminRole = "likes.admin";
}
