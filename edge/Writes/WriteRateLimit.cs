using System.Globalization;
using System.Threading.RateLimiting;
using Likes.Edge.Auth;
using Likes.Edge.Options;
using Likes.Shared;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Edge.Writes;

/// <summary>
/// LIKES_WRITE_RATE_PER_USER on the write endpoints: a token bucket per user (rate per second, burst 5 × rate) kept in
/// Redis in the user's slot (one script, one round trip), so it holds however many edge replicas serve the user; no
/// PostgreSQL on the write path. When Redis cannot answer in time, this edge's own bucket for the user decides,
/// counted in <c>likes_edge_write_limit_fallbacks_total</c>: the limit then holds per replica. Past it: 429 with
/// Retry-After. Rate 0: no limit.
/// </summary>
public sealed class WriteRateLimit : IEndpointFilter, IDisposable
{
    public const int BurstSeconds = 5;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly PublishMetrics _metrics;
    private readonly int _rate;
    private readonly TimeSpan _timeout;
    private readonly PartitionedRateLimiter<long> _local;

    public WriteRateLimit(IConnectionMultiplexer redis, RedisKeys keys, PublishMetrics metrics, IOptions<EdgeOptions> edge)
    {
        _redis = redis;
        _keys = keys;
        _metrics = metrics;
        _rate = edge.Value.WriteRatePerUser;
        _timeout = edge.Value.RedisReadTimeout;
        _local = PartitionedRateLimiter.Create<long, long>(user => RateLimitPartition.GetTokenBucketLimiter(user, _ => new TokenBucketRateLimiterOptions
        {
            TokensPerPeriod = Math.Max(_rate, 1),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            TokenLimit = BurstSeconds * Math.Max(_rate, 1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_rate == 0)
        {
            return await next(context);
        }

        var user = context.HttpContext.User.UserId();
        var waitMs = await SharedAsync(user) ?? Local(user);
        if (waitMs == 0)
        {
            return await next(context);
        }

        _metrics.Limited();
        var seconds = Math.Max(1, (int)Math.Ceiling(waitMs / 1000.0));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, detail: $"too many writes from this user; retry after {seconds} s");
    }

    public void Dispose() => _local.Dispose();

    /// <summary>Milliseconds until the shared bucket has a token (0: taken), or null when Redis could not say in time.</summary>
    private async Task<long?> SharedAsync(long user)
    {
        if (!_redis.IsConnected)
        {
            _metrics.LimitFallback();
            return null;
        }

        try
        {
            var result = await RedisScripts.UserWriteRate.EvaluateAsync(_redis.GetDatabase(), [_keys.WriteRate(user)], [_rate, BurstSeconds * _rate]).WaitAsync(_timeout);
            return (long)result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _metrics.LimitFallback();
            return null;
        }
    }

    private long Local(long user)
    {
        using var lease = _local.AttemptAcquire(user);
        return lease.IsAcquired ? 0 : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (long)after.TotalMilliseconds : 1000;
    }
}

public static class WriteRateLimitEndpoints
{
    /// <summary>Limits the endpoint's writes per user with the one <see cref="WriteRateLimit"/> of this edge (its local buckets live there).</summary>
    public static RouteHandlerBuilder RequireWriteRateLimit(this RouteHandlerBuilder endpoint)
        => endpoint.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<WriteRateLimit>().InvokeAsync(context, next));
}
