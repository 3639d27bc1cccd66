using System.Globalization;
using System.Threading.RateLimiting;
using Likes.Edge.Auth;
using Likes.Edge.Options;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Writes;

/// <summary>
/// LIKES_WRITE_RATE_PER_USER: a token bucket per authenticated user (rate per second, burst 5 × rate, no
/// queue) on the write endpoints only. Past it: 429 with Retry-After. Rate 0: no limit.
/// </summary>
public static class WriteRateLimit
{
    public const string PolicyName = "writes-per-user";

    public const int BurstSeconds = 5;

    public static IServiceCollection AddWriteRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<EdgeOptions>>((limiter, edge) =>
        {
            var rate = edge.Value.WriteRatePerUser;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(PolicyName, context => rate == 0
                ? RateLimitPartition.GetNoLimiter(0L)
                : RateLimitPartition.GetTokenBucketLimiter(UserOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokensPerPeriod = rate,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    TokenLimit = BurstSeconds * rate,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return services;
    }

    // Authorization runs first, so every request here has a user id; 0 is only a safe fallback.
    private static long UserOf(HttpContext context) => UserIdClaim.TryRead(context.User, out var id) ? id : 0;

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
            : 1;
        var http = rejected.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"too many likes and unlikes from this user; retry after {seconds} s",
            },
        });
    }
}
