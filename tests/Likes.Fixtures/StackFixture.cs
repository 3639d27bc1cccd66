using Likes.Admin;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace Likes.Fixtures;

/// <summary>
/// A private slice of the real servers for one test class: its own stream and subjects, its own Redis
/// key prefix and its own migrated database, all named by a unique prefix, so tests never collide and
/// need no restarts. Everything is removed again at the end.
/// </summary>
public class StackFixture : IAsyncLifetime
{
    public StackFixture()
    {
        Id = "t" + Guid.NewGuid().ToString("N")[..10];
        Stream = new StreamOptions { Name = Id.ToUpperInvariant(), SubjectPrefix = Id, Partitions = 4, DuplicateWindow = TimeSpan.FromMinutes(2), MaxBytes = 256L << 20 };
        Consumer = new ConsumerOptions { BatchSize = 500, AckWait = TimeSpan.FromSeconds(5), BackoffInitial = TimeSpan.FromMilliseconds(20), BackoffMax = TimeSpan.FromMilliseconds(500) };
        Database = "likes_" + Id;
        KeyPrefix = Id + ":";
    }

    public string Id { get; }

    public StreamOptions Stream { get; }

    public ConsumerOptions Consumer { get; }

    public string Database { get; }

    public string KeyPrefix { get; }

    /// <summary>This fixture's database, as the admin (schema owner).</summary>
    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(AdminPostgres) { Database = Database }.ConnectionString;

    /// <summary>The servers and the admin identity on them: the shared test servers unless a fixture brings its own.</summary>
    public virtual string AdminNats => TestServers.Nats;

    public virtual string AdminRedis => TestServers.Redis;

    /// <summary>A role that may create databases; each fixture makes its own.</summary>
    public virtual string AdminPostgres => TestServers.Postgres;

    public NatsConnection Nats { get; private set; } = null!;

    public INatsJSContext JetStream { get; private set; } = null!;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public NpgsqlDataSource Postgres { get; private set; } = null!;

    /// <summary>Batches handed straight to handlers, numbered across every test of the slice (the positions they record are its).</summary>
    public Batches Batches { get; } = new();

    /// <summary>Messages in this slice's dead-letter stream: a like set aside there is a like not applied.</summary>
    public async Task<ulong> DeadLetterCountAsync() => (ulong)(await JetStream.GetStreamAsync(Stream.DeadLetterStreamName)).Info.State.Messages;

    /// <summary>Configuration for a host under test, pointing every store at this fixture's slice.</summary>
    public virtual Dictionary<string, string?> Configuration() => new()
    {
        ["Nats:Url"] = AdminNats,
        ["Stream:Name"] = Stream.Name,
        ["Stream:SubjectPrefix"] = Stream.SubjectPrefix,
        ["Stream:Partitions"] = Stream.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Stream:DuplicateWindow"] = Stream.DuplicateWindow.ToString(),
        ["Stream:MaxBytes"] = Stream.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consumer:BatchSize"] = Consumer.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consumer:AckWait"] = Consumer.AckWait.ToString(),
        ["Consumer:BackoffInitial"] = Consumer.BackoffInitial.ToString(),
        ["Consumer:BackoffMax"] = Consumer.BackoffMax.ToString(),
        ["Redis:Configuration"] = AdminRedis,
        ["Redis:KeyPrefix"] = KeyPrefix,
        ["Postgres:ConnectionString"] = PostgresConnectionString,
        // A daemon restarted by a test claims the partitions of the one it replaced within a few seconds at most.
        ["Lease:Ttl"] = "00:00:02",
        ["Lease:Renew"] = "00:00:00.250",
        // Erasures and privacy changes of a few likes already take several transactions, as a heavy user's do.
        ["Persister:UserWideChunk"] = "7",
    };

    public virtual async Task InitializeAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(AdminPostgres))
        {
            await using var create = admin.CreateCommand($"CREATE DATABASE \"{Database}\"");
            await create.ExecuteNonQueryAsync();
        }

        var migrated = Migrator.Apply(PostgresConnectionString, TextWriter.Null);
        if (!migrated.Successful)
        {
            throw new InvalidOperationException("migrations failed", migrated.Error);
        }

        Postgres = NpgsqlDataSource.Create(PostgresConnectionString);
        Redis = await ConnectionMultiplexer.ConnectAsync(AdminRedis);
        Nats = new NatsConnection(new NatsOpts { Url = AdminNats, Name = "likes-tests" });
        JetStream = new NatsJSContext(Nats);
        await StreamProvisioner.EnsureAsync(JetStream, Stream, Consumer, TextWriter.Null, CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        // A stream a test removed on purpose is skipped, the rest still removed.
        await StreamProvisioner.RemoveAsync(JetStream, Stream, CancellationToken.None);

        await Nats.DisposeAsync();
        await Redis.DeleteKeysAsync(KeyPrefix + "*");

        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(AdminPostgres);
        // A daemon's closed connections take a moment to leave the server, and FORCE may only end the admin's own
        // sessions (the daemons log in as their own roles): wait for theirs to be gone first.
        await using var others = admin.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND usename <> current_user");
        others.Parameters.AddWithValue("db", Database);
        await Eventually.UntilAsync(async () => (long)(await others.ExecuteScalarAsync())!, n => n == 0, TimeSpan.FromSeconds(10), "daemon sessions gone");
        // An autovacuum worker of the fresh tables can still be there; FORCE may not end it, but it ends on its own.
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)");
                await drop.ExecuteNonQueryAsync();
                return true;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the test database dropped");
    }
}
