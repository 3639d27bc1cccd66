using Microsoft.Extensions.Configuration;

namespace Likes.Shared.Configuration;

/// <summary>
/// The flat <c>LIKES_*</c> environment variables operators set (README, Helm values), mapped onto the
/// configuration keys the options classes bind. The usual <c>Section__Key</c> variables work too; these win.
/// </summary>
public static class LikesEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["LIKES_NATS_URL"] = "Nats:Url",
        ["LIKES_NATS_USER"] = "Nats:User",
        ["LIKES_NATS_PASSWORD"] = "Nats:Password",
        ["LIKES_STREAM"] = "Stream:Name",
        ["LIKES_PARTITIONS"] = "Stream:Partitions",
        ["LIKES_STREAM_REPLICAS"] = "Stream:Replicas",
        ["LIKES_REDIS"] = "Redis:Configuration",
        ["LIKES_REDIS_KEY_PREFIX"] = "Redis:KeyPrefix",
        ["LIKES_POSTGRES"] = "Postgres:ConnectionString",
        ["LIKES_TIMELINE_SIZE"] = "Timeline:Size",
        ["LIKES_REPLICA_INDEX"] = "Consumer:ReplicaIndex",
        ["LIKES_REPLICA_COUNT"] = "Consumer:ReplicaCount",
        ["LIKES_BATCH_SIZE"] = "Consumer:BatchSize",
        ["LIKES_JWT_KEY"] = "Edge:Jwt:Key",
        ["LIKES_JWT_ISSUER"] = "Edge:Jwt:Issuer",
        ["LIKES_JWT_AUDIENCE"] = "Edge:Jwt:Audience",
        ["LIKES_WRITE_RATE_PER_USER"] = "Edge:WriteRatePerUser",
    };

    /// <summary>Adds the mapped variables present in the environment as a configuration source.</summary>
    public static IConfigurationBuilder AddLikesEnvironment(this IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Variables)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value))
            {
                values[key] = value;
            }
        }

        // Credentials come from secrets as separate variables; they complete the connection strings.
        if (Environment.GetEnvironmentVariable("LIKES_POSTGRES_PASSWORD") is { Length: > 0 } pgPassword)
        {
            var connection = values.GetValueOrDefault("Postgres:ConnectionString") ?? new PostgresOptions().ConnectionString;
            values["Postgres:ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Password = pgPassword }.ConnectionString;
        }

        if (Environment.GetEnvironmentVariable("LIKES_REDIS_PASSWORD") is { Length: > 0 } redisPassword)
        {
            var redis = StackExchange.Redis.ConfigurationOptions.Parse(values.GetValueOrDefault("Redis:Configuration") ?? new RedisOptions().Configuration);
            redis.Password = redisPassword;
            redis.User ??= Environment.GetEnvironmentVariable("LIKES_REDIS_USER");
            values["Redis:Configuration"] = redis.ToString(includePassword: true);
        }

        return configuration.AddInMemoryCollection(values);
    }
}
