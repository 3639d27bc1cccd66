using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Likes.Fixtures;

/// <summary>Mints bearer tokens the way an identity provider would, for tests and load generators.</summary>
public static class Tokens
{
    /// <summary>The documented local development key (CONTRACT: at least 32 bytes). Never used outside Development.</summary>
    public const string DevelopmentKey = "likes-local-development-key-0123456789abcdef";

    public static string For(string subject, string key = DevelopmentKey, DateTime? expires = null, string? issuer = null, string? audience = null, string[]? roles = null)
    {
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken(
            issuer: issuer,
            audience: audience,
            claims: [new Claim("sub", subject), .. (roles ?? []).Select(r => new Claim("roles", r))],
            notBefore: null,
            expires: expires ?? DateTime.UtcNow.AddHours(1),
            signingCredentials: credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public static string For(long userId) => For(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A service token: the service account's id as <c>sub</c>, and the role the service-to-service endpoints need.</summary>
    public static string Service(long accountId = 1) => For(accountId.ToString(System.Globalization.CultureInfo.InvariantCulture), roles: ["likes.admin"]);
}
