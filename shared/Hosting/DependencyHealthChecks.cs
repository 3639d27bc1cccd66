using Microsoft.Extensions.Diagnostics.HealthChecks;
using NATS.Client.Core;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Shared;

public sealed class NatsHealthCheck(NatsConnection nats) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (nats.ConnectionState != NatsConnectionState.Open)
        {
            // The client connects on first use; a daemon that has not published yet connects here.
            try
            {
                await nats.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception ex) when (ex is NatsException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"nats connection {nats.ConnectionState}: {ex.Message}");
            }
        }

        var rtt = await nats.PingAsync(cancellationToken);
        return HealthCheckResult.Healthy($"rtt {rtt.TotalMilliseconds:F1} ms");
    }
}

public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("redis not connected");
        }

        var rtt = await redis.GetDatabase().PingAsync();
        return HealthCheckResult.Healthy($"rtt {rtt.TotalMilliseconds:F1} ms");
    }
}

public sealed class PostgresHealthCheck(NpgsqlDataSource postgres) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var command = postgres.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
