using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Likes.Edge.Auth;

/// <summary>
/// What the standard JwtBearer handler does not: refuse a <c>sub</c> that is not a user id, and answer every
/// 401 with <c>WWW-Authenticate: Bearer</c> and a problem+json body.
/// </summary>
public static class BearerEvents
{
    public const string InvalidSubject = "the token's sub is not a positive 64-bit integer user id";

    public static JwtBearerEvents Create() => new()
    {
        OnTokenValidated = RequireUserIdSubject,
        OnChallenge = WriteProblemAsync,
    };

    private static Task RequireUserIdSubject(TokenValidatedContext context)
    {
        if (!UserIdClaim.TryRead(context.Principal, out _))
        {
            context.Fail(InvalidSubject);
        }

        return Task.CompletedTask;
    }

    private static async Task WriteProblemAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var failure = context.AuthenticateFailure;

        // RFC 6750 §3: no error code when no credentials were sent; invalid_token otherwise, without internals.
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var detail = failure switch
        {
            null => "a bearer token is required",
            SecurityTokenExpiredException => "the bearer token has expired",
            SecurityTokenNoExpirationException => "the bearer token has no expiry (exp)",
            AuthenticationFailureException { Message: InvalidSubject } => InvalidSubject,
            _ => "the bearer token is not valid",
        };

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail },
        });
    }
}
