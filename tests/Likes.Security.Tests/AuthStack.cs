using System.Globalization;
using Likes.Admin.Access;
using Likes.Fixtures;
using Likes.Shared.Configuration;
using Npgsql;
using Xunit;

// The servers, their permissions and file modes are those of the Linux machines Likes runs on.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Likes.Security.Tests;

/// <summary>
/// NATS, Redis and PostgreSQL of the tests' own, on free loopback ports with data under
/// <c>.local/auth/&lt;id&gt;/</c>, with authentication on: the NATS users and the Redis ACL file written by
/// <c>likes-admin access</c> (what <c>./likes up</c> runs), the PostgreSQL roles of the migrations given their
/// logins by <c>likes-admin logins</c>. The shared servers are never touched. On top, the usual private slice
/// (stream, key prefix, database) as the admin identity.
/// </summary>
public sealed class AuthStack : StackFixture
{
    public const string Collection = "auth stack";

    private Dictionary<string, string> _passwords = [];
    private readonly string _directory;
    private readonly int _natsPort = FreePort();
    private readonly int _redisPort = FreePort();
    private readonly int _postgresPort = FreePort();

    public AuthStack() => _directory = Path.Combine(Repository.Local, "auth", Id);

    public ServerProcess NatsServer { get; private set; } = null!;

    public ServerProcess RedisServer { get; private set; } = null!;

    public PostgresCluster PostgresServer { get; private set; } = null!;

    public string NatsUrl => $"nats://127.0.0.1:{_natsPort}";

    public string RedisEndpoint => $"127.0.0.1:{_redisPort}";

    public override string AdminNats => $"nats://{Identity.Admin.UserName}:{Password(Identity.Admin, Store.Nats)}@127.0.0.1:{_natsPort}";

    public override string AdminRedis => $"{RedisEndpoint},user={Identity.Admin.UserName},password={Password(Identity.Admin, Store.Redis)}";

    public override string AdminPostgres => $"Host=127.0.0.1;Port={_postgresPort};Database=likes;Username=likes;Password=likes";

    /// <summary>Every password of the stack: none of them may ever show in a log, a metric or a health answer.</summary>
    public IReadOnlyCollection<string> AllPasswords => _passwords.Values;

    public string Password(Identity who, Store store) => _passwords[who.PasswordVariable(store)];

    /// <summary>Where <paramref name="who"/> logs in to Redis, as itself.</summary>
    public string RedisAs(Identity who) => $"{RedisEndpoint},user={who.UserName},password={Password(who, Store.Redis)}";

    /// <summary>This fixture's database as <paramref name="who"/>'s role.</summary>
    public string PostgresAs(Identity who) => $"Host=127.0.0.1;Port={_postgresPort};Database={Database};Username={who.UserName};Password={Password(who, Store.Postgres)};Pooling=false";

    /// <summary>
    /// The environment a daemon process gets from the scripts: the slice's settings and its own credentials in
    /// the <c>LIKES_*</c> variables (no credential in a connection string).
    /// </summary>
    public Dictionary<string, string?> EnvironmentFor(Identity who)
    {
        var environment = Configuration();
        environment["Nats:Url"] = NatsUrl;
        environment["Redis:Configuration"] = RedisEndpoint;
        environment["Postgres:ConnectionString"] = $"Host=127.0.0.1;Port={_postgresPort};Database={Database}";
        if (who.Uses(Store.Nats))
        {
            environment["LIKES_NATS_USER"] = who.UserName;
            environment["LIKES_NATS_PASSWORD"] = Password(who, Store.Nats);
        }

        environment["LIKES_REDIS_USER"] = who.UserName;
        environment["LIKES_REDIS_PASSWORD"] = Password(who, Store.Redis);
        if (who.Uses(Store.Postgres))
        {
            environment["LIKES_POSTGRES_USER"] = who.UserName;
            environment["LIKES_POSTGRES_PASSWORD"] = Password(who, Store.Postgres);
        }

        return environment;
    }

    public override async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // A fixture that failed to start is not disposed: stop what did start.
            await StopAsync();
            throw;
        }
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await StopAsync();
        }
    }

    private async Task StartAsync()
    {
        Directory.CreateDirectory(_directory);
        var redisOptions = new RedisOptions { KeyPrefix = KeyPrefix };
        var natsConfig = Path.Combine(_directory, "nats-auth.conf");
        var aclFile = Path.Combine(_directory, "users.acl");
        // The same steps as scripts/servers.sh: the passwords file, then the NATS users and the Redis ACL file.
        var credentials = Path.Combine(_directory, "credentials.env");
        Run("credentials", credentials);
        _passwords = Credentials.Read(credentials);
        Run("nats-config", natsConfig);
        Run("redis-acl", aclFile);
        void Run(string what, string file)
        {
            var error = new StringWriter();
            var exit = AccessCommand.Run([what, file], Stream, redisOptions, v => _passwords.GetValueOrDefault(v), TextWriter.Null, error);
            Assert.True(exit == 0, $"likes-admin access {what} failed: {error}");
        }

        NatsServer = ServerProcess.Start(TestServers.NatsServerBinary,
            ["-c", natsConfig, "-a", "127.0.0.1", "-p", Port(_natsPort), "-js", "-sd", Path.Combine(_directory, "nats"), "--server_name", Id],
            Path.Combine(_directory, "nats.log"));
        RedisServer = ServerProcess.Start("redis-server",
            ["--bind", "127.0.0.1", "--port", Port(_redisPort), "--save", "", "--appendonly", "no", "--dir", _directory, "--aclfile", aclFile],
            Path.Combine(_directory, "redis.log"));
        PostgresServer = await PostgresCluster.StartAsync(Path.Combine(_directory, "pg"), _postgresPort);
        await using (var superuser = NpgsqlDataSource.Create(PostgresServer.SuperuserConnectionString))
        {
            // As scripts/servers.sh: the admin role owns the database and may create databases and roles.
            await using var role = superuser.CreateCommand("CREATE ROLE likes LOGIN PASSWORD 'likes' CREATEDB CREATEROLE NOSUPERUSER");
            await role.ExecuteNonQueryAsync();
            await using var database = superuser.CreateCommand("CREATE DATABASE likes OWNER likes");
            await database.ExecuteNonQueryAsync();
        }

        await NatsServer.ListeningAsync(_natsPort);
        await RedisServer.ListeningAsync(_redisPort);

        await base.InitializeAsync();
        await PostgresLogins.ApplyAsync(PostgresConnectionString, who => Password(who, Store.Postgres), TextWriter.Null, CancellationToken.None);
    }

    private async Task StopAsync()
    {
        foreach (var server in new IAsyncDisposable?[] { NatsServer, RedisServer, PostgresServer })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort() => DaemonProcess.FreePort();
}

[CollectionDefinition(AuthStack.Collection)]
public sealed class AuthStackCollection : ICollectionFixture<AuthStack>;
