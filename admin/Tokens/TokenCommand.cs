using System.Globalization;
using System.Security.Claims;
using System.Text;
using Likes.Shared.Ids;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Likes.Admin.Tokens;

/// <summary>
/// <c>likes-admin token &lt;userId&gt; [--ttl 1h]</c>: a bearer token for the local stack, signed with the edge's
/// key (<c>LIKES_JWT_KEY</c>, with its issuer and audience when set). Only in Development: a token minted from a
/// deployment's key would act as any user, so nothing outside a developer's own stack may print one.
/// </summary>
public static class TokenCommand
{
    public const string Usage = "usage: likes-admin token <userId> [--ttl <n>s|m|h|d] (Development only; default ttl 1h, at most 30d)";

    private static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>A development token is for trying the API by hand: a month covers any session.</summary>
    private static readonly TimeSpan MaximumTtl = TimeSpan.FromDays(30);

    public static int Run(string[] args, IConfiguration configuration, string environment, TimeProvider clock, TextWriter output, TextWriter error)
    {
        if (environment != "Development")
        {
            error.WriteLine($"token: refused in {environment}: development tokens are for a local stack (ASPNETCORE_ENVIRONMENT=Development) only");
            return 2;
        }

        if (args is not [var user, ..] || !PositiveId.TryParse(user, out _))
        {
            error.WriteLine($"token: userId {PositiveId.Rule}");
            error.WriteLine(Usage);
            return 2;
        }

        var ttl = DefaultTtl;
        if (args.Length > 1 && (args is not [_, "--ttl", var ttlText] || !TryParseTtl(ttlText, out ttl)))
        {
            error.WriteLine(Usage);
            return 2;
        }

        if (configuration["Edge:Jwt:Key"] is not { Length: > 0 } key)
        {
            error.WriteLine("token: LIKES_JWT_KEY is not set (./likes sets the development key)");
            return 2;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        output.WriteLine(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, user)]),
            Issuer = configuration["Edge:Jwt:Issuer"],
            Audience = configuration["Edge:Jwt:Audience"],
            IssuedAt = now,
            NotBefore = now,
            Expires = now + ttl,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        }));
        return 0;
    }

    /// <summary>A whole number and one unit (<c>90s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c>), above zero and at most <see cref="MaximumTtl"/>.</summary>
    public static bool TryParseTtl(string text, out TimeSpan ttl)
    {
        ttl = TimeSpan.Zero;
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
        {
            return false;
        }

        ttl = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.Zero,
        };
        return ttl > TimeSpan.Zero && ttl <= MaximumTtl;
    }
}
