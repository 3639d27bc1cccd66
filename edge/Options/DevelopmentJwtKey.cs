using Microsoft.Extensions.Options;

namespace Likes.Edge.Options;

/// <summary>
/// In Development only, an unset key falls back to the documented development key (the edge warns at start:
/// anyone can mint tokens for it). Everywhere else an unset key fails validation (<see cref="JwtKeyValidation"/>).
/// </summary>
public sealed class DevelopmentJwtKey(IHostEnvironment environment) : IPostConfigureOptions<EdgeOptions>
{
    public void PostConfigure(string? name, EdgeOptions options)
    {
        if (environment.IsDevelopment() && string.IsNullOrEmpty(options.Jwt.Key))
        {
            options.Jwt.Key = JwtOptions.DevelopmentKey;
        }
    }

    public static void WarnIfUsed(WebApplication app, EdgeOptions options)
    {
        if (app.Environment.IsDevelopment() && options.Jwt.Key == JwtOptions.DevelopmentKey)
        {
            app.Services.GetRequiredService<ILogger<DevelopmentJwtKey>>().LogWarning(
                "LIKES_JWT_KEY (Edge:Jwt:Key) is the documented development key: anyone can mint tokens. Never run like this outside Development.");
        }
    }
}
