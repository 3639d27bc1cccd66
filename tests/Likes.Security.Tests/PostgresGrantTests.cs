using Likes.Admin;
using Likes.Admin.Access;
using Npgsql;
using Xunit;

namespace Likes.Security.Tests;

/// <summary>
/// The daemons' PostgreSQL roles, created by the migrations, own nothing and are refused by a real server every
/// statement their daemon never runs. What they do need is <see cref="LeastPrivilegeFleetTests"/>.
/// </summary>
[Collection(AuthStack.Collection)]
public sealed class PostgresGrantTests(AuthStack stack)
{
    private static readonly string[] Roles = ["likes_edge", "likes_persister", "likes_reheater", "likes_reconciler"];

    public static TheoryData<string, string> Refused => new()
    {
        { "edge", "INSERT INTO likes VALUES (1, 1, now())" },
        { "edge", "UPDATE content_like_counts SET like_count = 0" },
        { "edge", "DELETE FROM likes" },
        { "edge", "SELECT * FROM stream_positions" },
        { "edge", "SELECT * FROM qrtz_locks" },
        { "edge", "CREATE TABLE stolen (x int)" },
        { "persister", "TRUNCATE likes" },
        { "persister", "DROP TABLE likes" },
        { "persister", "ALTER TABLE likes ADD COLUMN x int" },
        { "persister", "UPDATE likes SET user_id = 2" },
        { "persister", "DELETE FROM content_like_counts" },
        { "persister", "SELECT * FROM reconciler_state" },
        { "persister", "SELECT * FROM qrtz_triggers" },
        { "reheater", "INSERT INTO likes VALUES (1, 1, now())" },
        { "reheater", "UPDATE stream_positions SET sequence = 0" },
        { "reheater", "SELECT * FROM content_like_counts" },
        { "reconciler", "INSERT INTO likes VALUES (1, 1, now())" },
        { "reconciler", "DELETE FROM likes" },
        { "reconciler", "DELETE FROM content_like_counts" },
        { "reconciler", "UPDATE content_like_counts SET content_id = 2" },
        { "reconciler", "DROP TABLE qrtz_locks" },
        { "reconciler", "SELECT * FROM schemaversions" },
        { "reconciler", "CREATE TABLE stolen (x int)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ADaemonsRole_IsRefusedWhatItsDaemonNeverDoes(string daemon, string sql)
    {
        await using var connection = new NpgsqlConnection(stack.PostgresAs(Identity.Named(daemon)));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task DaemonRoles_OwnNothing_AndHoldNoAttribute()
    {
        await using var admin = NpgsqlDataSource.Create(stack.PostgresConnectionString);

        await using var attributes = admin.CreateCommand(
            "SELECT count(*) FROM pg_roles WHERE rolname = ANY(@roles) AND NOT (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls) AND rolcanlogin");
        attributes.Parameters.AddWithValue("roles", Roles);
        Assert.Equal(Roles.Length, Convert.ToInt32(await attributes.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));

        await using var owned = admin.CreateCommand("""
            SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = ANY(@roles)
            UNION ALL SELECT count(*) FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE r.rolname = ANY(@roles)
            """);
        owned.Parameters.AddWithValue("roles", Roles);
        await using var reader = await owned.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Assert.Equal(0L, reader.GetInt64(0));
        }
    }

    [Fact]
    public async Task TheAggregator_HasNoRoleAtAll()
    {
        await using var admin = NpgsqlDataSource.Create(stack.PostgresConnectionString);
        await using var command = admin.CreateCommand("SELECT count(*) FROM pg_roles WHERE rolname = 'likes_aggregator'");

        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Logins_StoreAScramVerifier_NeverThePassword()
    {
        await using var superuser = NpgsqlDataSource.Create(stack.PostgresServer.SuperuserConnectionString);
        await using var command = superuser.CreateCommand("SELECT rolpassword FROM pg_authid WHERE rolname = 'likes_edge'");

        var stored = (string)(await command.ExecuteScalarAsync())!;

        Assert.StartsWith("SCRAM-SHA-256$4096:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.Password(Identity.Edge, Store.Postgres), stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrations_OfASecondDatabase_KeepTheExistingRoles_AndGrantThereToo()
    {
        var second = new NpgsqlConnectionStringBuilder(stack.PostgresConnectionString) { Database = stack.Database + "_b" }.ConnectionString;
        await using (var admin = NpgsqlDataSource.Create(stack.AdminPostgres))
        {
            await using var create = admin.CreateCommand($"CREATE DATABASE \"{stack.Database}_b\"");
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var migrated = Migrator.Apply(second, TextWriter.Null);
            Assert.True(migrated.Successful, migrated.Error?.Message);

            var edge = new NpgsqlConnectionStringBuilder(stack.PostgresAs(Identity.Edge)) { Database = stack.Database + "_b" }.ConnectionString;
            await using var connection = new NpgsqlConnection(edge);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT count(*) FROM likes", connection);
            Assert.Equal(0L, (long)(await read.ExecuteScalarAsync())!);
            await using var write = new NpgsqlCommand("INSERT INTO likes VALUES (1, 1, now())", connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(stack.AdminPostgres);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{stack.Database}_b\" WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
