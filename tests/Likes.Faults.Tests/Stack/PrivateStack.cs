using System.Globalization;
using Likes.Bench;
using Likes.Faults.Tests.Scenarios;
using Likes.Fixtures;
using NATS.Client.Core;
using Xunit;

namespace Likes.Faults.Tests.Stack;

/// <summary>
/// A whole Likes stack of the suite's own: Redis, NATS and PostgreSQL with their data under
/// <c>.local/faults/</c>, and the five daemons as real processes, all on free loopback ports chosen at start,
/// started and stopped by the project's scripts. Faults kill and pause these processes only: the shared
/// servers and the development fleet are never touched. One stack serves every scenario of a run, one
/// scenario at a time; each scenario uses user and content ids of its own.
/// </summary>
public sealed class PrivateStack : IAsyncLifetime
{
    public const string LocalDir = ".local/faults";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private int _scenarios;

    public PrivateStack()
    {
        Root = FindRoot();
        Ports = new StackPorts();
        Environment = new Dictionary<string, string>
        {
            ["LIKES_LOCAL_DIR"] = LocalDir,
            ["LIKES_REDIS_PORT"] = Port(Ports.Redis),
            ["LIKES_NATS_PORT"] = Port(Ports.Nats),
            ["LIKES_NATS_MONITOR_PORT"] = Port(Ports.NatsMonitor),
            ["LIKES_PG_PORT"] = Port(Ports.Postgres),
            // The servers' addresses only: each daemon logs in as its own user (scripts/credentials.sh).
            ["LIKES_REDIS"] = $"127.0.0.1:{Ports.Redis}",
            ["LIKES_NATS_URL"] = $"nats://127.0.0.1:{Ports.Nats}",
            ["LIKES_POSTGRES"] = Postgres,
            ["LIKES_JWT_KEY"] = Tokens.DevelopmentKey,
            // The recent reconcile job every two seconds, so that killing the reconciler lands mid-run.
            ["Reconciler__RecentCron"] = "0/2 * * * * ?",
            // The edge logs the stream sequence of every publish and the workers each batch's last one, so a lost
            // write can be traced (ScenarioRun prints the lost pairs' publishes).
            ["Logging__LogLevel__Likes"] = "Debug",
        };
        foreach (var daemon in Daemons)
        {
            Environment[$"LIKES_{daemon.ToUpperInvariant()}_PORT"] = Port(Ports.Daemons[daemon]);
        }
    }

    /// <summary>In start order, as scripts/fleet.sh starts them.</summary>
    public static IReadOnlyList<string> Daemons { get; } = ["persister", "aggregator", "reheater", "reconciler", "edge"];

    public string Root { get; }

    public StackPorts Ports { get; }

    /// <summary>What the scripts and every process of the stack are given.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>The suite's own clients act as the admin, with the password the scripts generated for the stack.</summary>
    public string Redis => $"127.0.0.1:{Ports.Redis},user=likes_admin,password={AdminPassword("LIKES_ADMIN_REDIS_PASSWORD")}";

    public string Nats => $"nats://likes_admin:{AdminPassword("LIKES_ADMIN_NATS_PASSWORD")}@127.0.0.1:{Ports.Nats}";

    public string Postgres => $"Host=127.0.0.1;Port={Ports.Postgres};Database=likes;Username=likes;Password=likes";

    public Uri Edge => new($"http://127.0.0.1:{Ports.Daemons["edge"]}");

    public string LocalPath => Path.Combine(Root, LocalDir);

    /// <summary>A daemon's log (JSON lines), as scripts/fleet.sh writes it.</summary>
    public string LogOf(string daemon) => Path.Combine(LocalPath, "logs", daemon + ".log");

    /// <summary>The stack as the benchmark's load generator and checks address one.</summary>
    public BenchEnvironment Bench => new(Edge, Tokens.DevelopmentKey, Postgres, Redis, "l:", Nats);

    public ScenarioResults Results { get; } = new();

    /// <summary>A client of the private NATS, for what a test publishes or inspects itself.</summary>
    public NatsConnection ConnectNats() => new(new NatsOpts { Url = Nats, Name = "likes-faults" });

    /// <summary>A fresh block of user and content ids for the next scenario.</summary>
    public long NextIdBase() => 1_000_000L * Interlocked.Increment(ref _scenarios);

    /// <summary>Where the servers' refusals stand now: the NATS and PostgreSQL logs' lengths; Redis's ACL LOG is emptied.</summary>
    public async Task<RefusalsMark> MarkRefusalsAsync()
    {
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis))
        {
            await redis.GetDatabase().ExecuteAsync("ACL", "LOG", "RESET");
        }

        return new RefusalsMark(LengthOf(LogOf("nats")), LengthOf(LogOf("postgres")));
    }

    /// <summary>
    /// What the servers refused since <paramref name="mark"/>: NATS's permission violations, PostgreSQL's permission
    /// denials, Redis's ACL denials (but the client's CONFIG GET probe, refused on purpose).
    /// </summary>
    public async Task<IReadOnlyList<string>> RefusalsSinceAsync(RefusalsMark mark)
    {
        var refused = LinesSince(LogOf("nats"), mark.Nats).Where(l => l.Contains("Violation", StringComparison.Ordinal)).ToList();
        refused.AddRange(LinesSince(LogOf("postgres"), mark.Postgres).Where(l => l.Contains("permission denied", StringComparison.Ordinal)));
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis);
        foreach (var entry in (StackExchange.Redis.RedisResult[])(await redis.GetDatabase().ExecuteAsync("ACL", "LOG"))!)
        {
            var fields = entry.ToDictionary();
            if (fields["object"].ToString() != "config|get")
            {
                refused.Add($"redis ACL: {fields["username"]} {fields["reason"]} {fields["object"]}");
            }
        }

        return refused;
    }

    private static long LengthOf(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    private static string[] LinesSince(string file, long offset)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }

    public Task<string> ScriptAsync(string commands) => Scripts.RunAsync(Root, Environment, commands, ScriptTimeout);

    public async Task InitializeAsync()
    {
        await StopLeftoversAsync();
        // Fresh servers every run: the stream store and Redis start empty, the database is recreated and migrated;
        // the logs start empty too (the edge logs every publish here), so they hold this run only.
        foreach (var dir in new[] { "nats", "redis", "logs" })
        {
            var path = Path.Combine(LocalPath, dir);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        await ScriptAsync("servers_up >/dev/null && _pg_psql -d postgres -c 'DROP DATABASE IF EXISTS likes WITH (FORCE)' && _pg_ensure_app && fleet_provision >/dev/null");
        await EnsureUpAsync();
    }

    /// <summary>Starts whatever is not running (a server or daemon a scenario stopped) and waits until every daemon is ready.</summary>
    public Task EnsureUpAsync() => ScriptAsync("servers_up >/dev/null && fleet_start >/dev/null");

    public int? PidOf(string name)
    {
        var file = Path.Combine(LocalPath, "run", name + ".pid");
        return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>The postmaster's pid: the first line of postmaster.pid in the data directory.</summary>
    public int? PostgresPid()
    {
        var file = Path.Combine(LocalPath, "pg", "postmaster.pid");
        return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public async Task DisposeAsync()
    {
        try
        {
            await StopLeftoversAsync();
        }
        finally
        {
            Results.WriteReportIfAsked(Root);
        }
    }

    /// <summary>Resumes anything a scenario (or a crashed earlier run) left paused, then stops daemons and servers.</summary>
    private async Task StopLeftoversAsync()
    {
        var paused = Daemons.Append("redis").Append("nats").Select(PidOf).OfType<int>().ToList();
        if (PostgresPid() is { } postmaster)
        {
            paused.AddRange(Signals.WithDescendants(postmaster));
        }

        await Signals.SendAsync(Signals.Continue, paused.Where(Signals.IsAlive));
        // A NATS store a disk-full scenario left on its own small disk goes back where it was.
        await ScriptAsync("""
            fleet_stop && servers_down >/dev/null
            store="$(_local_dir)/nats"
            if mountpoint -q "$store"; then umount "$store"; fi
            if [[ -d "$store.disk" ]]; then rm -rf "$store" && mv "$store.disk" "$store"; fi
            """);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>From the credentials file servers_up writes under the stack's own folder.</summary>
    private string AdminPassword(string variable)
        => Likes.Admin.Access.Credentials.Read(Path.Combine(LocalPath, "auth", "credentials.env"))[variable];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "likes")) && File.Exists(Path.Combine(dir.FullName, "scripts", "servers.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (the directory holding ./likes) above " + AppContext.BaseDirectory);
    }
}

/// <summary>Free loopback ports for the private servers and daemons, chosen once per run, all distinct.</summary>
public sealed class StackPorts
{
    private readonly HashSet<int> _taken = [];

    public StackPorts()
    {
        Redis = Next();
        Nats = Next();
        NatsMonitor = Next();
        Postgres = Next();
        Daemons = PrivateStack.Daemons.ToDictionary(d => d, _ => Next());
    }

    public int Redis { get; }

    public int Nats { get; }

    public int NatsMonitor { get; }

    public int Postgres { get; }

    public IReadOnlyDictionary<string, int> Daemons { get; }

    private int Next()
    {
        while (true)
        {
            var port = DaemonProcess.FreePort();
            if (_taken.Add(port))
            {
                return port;
            }
        }
    }
}

/// <summary>How long the servers' logs were when a scenario began.</summary>
public readonly record struct RefusalsMark(long Nats, long Postgres);

[CollectionDefinition(Name)]
public sealed class PrivateStackCollection : ICollectionFixture<PrivateStack>
{
    public const string Name = "private stack";
}
