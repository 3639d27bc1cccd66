using System.Text;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Options;

/// <summary>
/// The edge refuses to start without a real signing key; the message names the variable to set. Outside Development
/// the documented development key is no key at all (anyone can mint tokens with it): refused as the key and as the
/// previous key alike.
/// </summary>
public sealed class JwtKeyValidation(IHostEnvironment environment) : IValidateOptions<EdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        var key = options.Jwt.Key;
        if (string.IsNullOrEmpty(key))
        {
            return ValidateOptionsResult.Fail(
                $"LIKES_JWT_KEY (Edge:Jwt:Key) is not set: the edge needs an HS256 key of at least {JwtOptions.MinimumKeyBytes} bytes outside Development.");
        }

        return Refused("LIKES_JWT_KEY (Edge:Jwt:Key)", key)
            ?? (options.Jwt.PreviousKey is { Length: > 0 } previous ? Refused("LIKES_JWT_PREVIOUS_KEY (Edge:Jwt:PreviousKey)", previous) : null)
            ?? ValidateOptionsResult.Success;
    }

    private ValidateOptionsResult? Refused(string setting, string key)
    {
        if (key == JwtOptions.DevelopmentKey && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"{setting} is the documented development key, which anyone can sign tokens with: set a key of your own outside Development.");
        }

        var bytes = Encoding.UTF8.GetByteCount(key);
        return bytes < JwtOptions.MinimumKeyBytes
            ? ValidateOptionsResult.Fail($"{setting} is {bytes} bytes: an HS256 key must be at least {JwtOptions.MinimumKeyBytes} bytes.")
            : null;
    }
}
