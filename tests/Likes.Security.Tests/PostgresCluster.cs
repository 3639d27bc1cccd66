using System.Diagnostics;
using Npgsql;

namespace Likes.Security.Tests;

/// <summary>
/// A PostgreSQL cluster of a test's own (initdb, pg_ctl) on a loopback port: passwords required over TCP
/// (scram-sha-256), the socket trusted for the set-up only, as the local stack's pg_hba.conf has it. As root,
/// PostgreSQL runs as the postgres OS user (it refuses root), as scripts/servers.sh does.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly string Bin = Environment.GetEnvironmentVariable("LIKES_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    private readonly string _data;
    private readonly string _run;

    private PostgresCluster(string directory, int port)
    {
        _data = Path.Combine(directory, "data");
        _run = Path.Combine(directory, "run");
        Port = port;
    }

    public int Port { get; }

    public string Log => Path.Combine(_run, "postgres.log");

    /// <summary>The superuser over the socket (trusted): for creating the admin role and database only.</summary>
    public string SuperuserConnectionString => $"Host={_run};Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public static async Task<PostgresCluster> StartAsync(string directory, int port)
    {
        var cluster = new PostgresCluster(directory, port);
        Directory.CreateDirectory(cluster._data);
        Directory.CreateDirectory(cluster._run);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory]);
        }

        await RunAsync(Path.Combine(Bin, "initdb"), ["-D", cluster._data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"], asPostgres: true);
        await RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", cluster._data, "-l", cluster.Log, "-w", "-t", "60", "-o",
            $"-p {port} -k {cluster._run} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], asPostgres: true);
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"], asPostgres: true, check: false);
    }

    /// <summary>What the server logged after <paramref name="offset"/> characters.</summary>
    public string LogSince(long offset)
    {
        var text = File.ReadAllText(Log);
        return offset < text.Length ? text[(int)offset..] : string.Empty;
    }

    public long LogLength => new FileInfo(Log).Length;

    private static async Task RunAsync(string file, string[] args, bool asPostgres = false, bool check = true)
    {
        var info = asPostgres && Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args])
            : new ProcessStartInfo(file, args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = "/";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
