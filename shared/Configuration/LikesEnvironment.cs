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
        ["LIKES_BATCH_SIZE"] = "Consumer:BatchSize",
        ["LIKES_JWT_KEY"] = "Edge:Jwt:Key",
        ["LIKES_JWT_PREVIOUS_KEY"] = "Edge:Jwt:PreviousKey",
        ["LIKES_JWT_ISSUER"] = "Edge:Jwt:Issuer",
        ["LIKES_JWT_AUDIENCE"] = "Edge:Jwt:Audience",
        ["LIKES_JWT_ROLES_CLAIM"] = "Edge:Jwt:RolesClaim",
        ["LIKES_WRITE_RATE_PER_USER"] = "Edge:WriteRatePerUser",
    };

    /// <summary>
    /// The variables that hold secrets. Each may instead name a file holding the value, as
    /// <c>&lt;VARIABLE&gt;_FILE</c> (a mounted Secret): the value then never sits in the process environment.
    /// </summary>
    public static readonly IReadOnlyList<string> SecretVariables =
        ["LIKES_JWT_KEY", "LIKES_JWT_PREVIOUS_KEY", "LIKES_NATS_PASSWORD", "LIKES_REDIS_PASSWORD", "LIKES_POSTGRES_PASSWORD"];

    /// <summary>
    /// Adds the mapped variables present in the environment as a configuration source. The credential
    /// variables complete the connection strings configured so far (<c>LIKES_POSTGRES</c>, or
    /// <c>Postgres__ConnectionString</c> and the like from the sources already added).
    /// </summary>
    public static IConfigurationBuilder AddLikesEnvironment(this IConfigurationBuilder configuration)
    {
        var configured = configuration as IConfiguration ?? configuration.Build();
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Variables)
        {
            if (Read(variable) is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        // Credentials come from secrets as separate variables; they complete the connection strings.
        var pgUser = Read("LIKES_POSTGRES_USER");
        var pgPassword = Read("LIKES_POSTGRES_PASSWORD");
        if (pgUser is { Length: > 0 } || pgPassword is { Length: > 0 })
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(
                values.GetValueOrDefault("Postgres:ConnectionString") ?? configured["Postgres:ConnectionString"] ?? new PostgresOptions().ConnectionString);
            connection.Username = pgUser is { Length: > 0 } ? pgUser : connection.Username;
            connection.Password = pgPassword is { Length: > 0 } ? pgPassword : connection.Password;
            values["Postgres:ConnectionString"] = connection.ConnectionString;
        }

        if (Read("LIKES_REDIS_PASSWORD") is { Length: > 0 } redisPassword)
        {
            var redis = StackExchange.Redis.ConfigurationOptions.Parse(
                values.GetValueOrDefault("Redis:Configuration") ?? configured["Redis:Configuration"] ?? new RedisOptions().Configuration);
            redis.Password = redisPassword;
            redis.User = Read("LIKES_REDIS_USER") is { Length: > 0 } user ? user : redis.User;
            values["Redis:Configuration"] = redis.ToString(includePassword: true);
        }

        return configuration.AddInMemoryCollection(values);
    }

    /// <summary>A variable's value; for a secret, the content of the file <c>&lt;VARIABLE&gt;_FILE</c> names when that is set.</summary>
    public static string? Read(string variable)
    {
        if (SecretVariables.Contains(variable) && Environment.GetEnvironmentVariable(variable + "_FILE") is { Length: > 0 } file)
        {
            // A missing or unreadable file stops the process at start, naming the variable (never the content).
            try
            {
                return File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{variable}_FILE names {file}, which cannot be read: {ex.GetType().Name}", ex);
            }
        }

        return Environment.GetEnvironmentVariable(variable);
    }
}
