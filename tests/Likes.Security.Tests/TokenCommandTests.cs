using System.IdentityModel.Tokens.Jwt;
using Likes.Admin.Tokens;
using Likes.Fixtures;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Likes.Security.Tests;

/// <summary>
/// <c>likes-admin token</c> (<c>./likes token</c>): a token for the local stack only, for the user named, living
/// as long as asked and no longer than a month. That the edge accepts it is checked by the curl session of docs/api.md.
/// </summary>
public sealed class TokenCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void OutsideDevelopment_NoTokenIsPrinted(string environment)
    {
        var (exit, output, error) = Run(["42"], environment);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("refused", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("042")]
    [InlineData("-1")]
    [InlineData("9223372036854775808")]
    [InlineData("abc")]
    public void ABadUserId_IsRefused_NamingTheRule(string user)
    {
        var (exit, output, error) = Run([user]);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("userId must be a positive 64-bit integer", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], 3600)]
    [InlineData(new[] { "--ttl", "90s" }, 90)]
    [InlineData(new[] { "--ttl", "30m" }, 1800)]
    [InlineData(new[] { "--ttl", "7d" }, 604800)]
    public void TheToken_NamesTheUser_AndExpiresAfterTheTtl(string[] ttl, int seconds)
    {
        var (exit, output, _) = Run(["42", .. ttl]);

        Assert.Equal(0, exit);
        var token = new JwtSecurityTokenHandler().ReadJwtToken(output.Trim());
        Assert.Equal("HS256", token.Header.Alg);
        Assert.Equal("42", token.Subject);
        Assert.Equal(Now.AddSeconds(seconds).UtcDateTime, token.ValidTo);
    }

    [Theory]
    [InlineData("--ttl", "31d")]
    [InlineData("--ttl", "0h")]
    [InlineData("--ttl", "1w")]
    [InlineData("--ttl", "h")]
    [InlineData("--tll", "1h")]
    public void ABadTtl_IsRefused(string flag, string value)
    {
        var (exit, output, error) = Run(["42", flag, value]);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("usage: likes-admin token", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Run(string[] args, string environment = "Development")
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Edge:Jwt:Key"] = Tokens.DevelopmentKey })
            .Build();
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = TokenCommand.Run(args, configuration, environment, new FixedClock(Now), output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
