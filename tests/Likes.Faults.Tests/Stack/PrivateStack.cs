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
/// scenario at a time; each scenario uses user and content ids of its own. <see cref="PrivateClusterStack"/> is
/// the production topology instead (scripts/cluster.sh), under <c>.local/faults-cluster/</c>.
/// </summary>
public class PrivateStack : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private int _scenarios;

    public PrivateStack()
        : this(cluster: false)
    {
    }

    protected PrivateStack(bool cluster)
    {
        Cluster = cluster;
        LocalDir = cluster ? ".local/faults-cluster" : ".local/faults";
        Root = FindRoot();
        Ports = new StackPorts(cluster);
        Results = new ScenarioResults(cluster ? "faults-cluster-table" : "faults-table");
        Environment = new Dictionary<string, string>
        {
            ["LIKES_LOCAL_DIR"] = LocalDir,
            ["LIKES_REDIS_PORT"] = Port(Ports.Redis[0]),
            ["LIKES_NATS_PORT"] = Port(Ports.Nats[0]),
            ["LIKES_NATS_MONITOR_PORT"] = Port(Ports.NatsMonitor[0]),
            ["LIKES_PG_PORT"] = Port(Ports.Postgres[0]),
            // The servers' addresses only: each daemon logs in as its own user (scripts/credentials.sh).
            ["LIKES_REDIS"] = RedisEndpoints,
            ["LIKES_NATS_URL"] = NatsUrls(null),
            ["LIKES_POSTGRES"] = Postgres,
            ["LIKES_JWT_KEY"] = Tokens.DevelopmentKey,
            // The recent reconcile job every two seconds, so that killing the reconciler lands mid-run.
            ["Reconciler__RecentCron"] = "0/2 * * * * ?",
            // The edge logs the stream sequence of every publish and the workers each batch's last one, so a lost
            // write can be traced (ScenarioRun prints the lost pairs' publishes).
            ["Logging__LogLevel__Likes"] = "Debug",
        };
        foreach (var daemon in Daemons.Where(Ports.Daemons.ContainsKey))
        {
            Environment[$"LIKES_{daemon.ToUpperInvariant()}_PORT"] = Port(Ports.Daemons[daemon]);
        }

        if (cluster)
        {
            // scripts/cluster.sh reads the lists; LIKES_CLUSTER=on turns it on wherever the scripts are sourced.
            Environment["LIKES_CLUSTER"] = "on";
            Environment["LIKES_CLUSTER_LOCAL_DIR"] = LocalDir;
            Environment["LIKES_NATS_PORTS"] = StackPorts.List(Ports.Nats);
            Environment["LIKES_NATS_MONITOR_PORTS"] = StackPorts.List(Ports.NatsMonitor);
            Environment["LIKES_NATS_ROUTE_PORTS"] = StackPorts.List(Ports.NatsRoutes);
            Environment["LIKES_REDIS_PORTS"] = StackPorts.List(Ports.Redis);
            Environment["LIKES_CLUSTER_PG_PORT"] = Port(Ports.Postgres[0]);
            Environment["LIKES_PG_STANDBY_PORT"] = Port(Ports.Postgres[1]);
            foreach (var daemon in Daemons)
            {
                Environment[$"LIKES_{daemon.ToUpperInvariant()}_PORTS"] = string.Join(' ', Ports.ReplicasOf(daemon).Select(r => Port(Ports.Daemons[r])));
            }
        }
    }

    /// <summary>In start order, as scripts/fleet.sh starts them.</summary>
    public static IReadOnlyList<string> Daemons { get; } = ["persister", "aggregator", "reheater", "reconciler", "edge"];

    /// <summary>The production topology: three NATS nodes, a Redis Cluster, a PostgreSQL standby, two of every daemon.</summary>
    public bool Cluster { get; }

    public string LocalDir { get; }

    /// <summary>The NATS servers' processes, as their pid files name them.</summary>
    public IReadOnlyList<string> NatsNodes => Cluster ? ["nats-1", "nats-2", "nats-3"] : ["nats"];

    public string Root { get; }

    public StackPorts Ports { get; }

    /// <summary>What the scripts and every process of the stack are given.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>The suite's own clients act as the admin, with the password the scripts generated for the stack.</summary>
    public string Redis => $"{RedisEndpoints},user=likes_admin,password={AdminPassword("LIKES_ADMIN_REDIS_PASSWORD")}";

    public string Nats => NatsUrls($"likes_admin:{AdminPassword("LIKES_ADMIN_NATS_PASSWORD")}");

    /// <summary>In the cluster both servers, the primary whichever it is now (as the daemons connect).</summary>
    public string Postgres => Cluster
        ? $"Host=127.0.0.1:{Ports.Postgres[0]},127.0.0.1:{Ports.Postgres[1]};Target Session Attributes=primary;Database=likes;Username=likes;Password=likes"
        : $"Host=127.0.0.1;Port={Ports.Postgres[0]};Database=likes;Username=likes;Password=likes";

    /// <summary>The first edge, for a test's own requests.</summary>
    public Uri Edge => Edges[0];

    /// <summary>Every edge (two in the cluster): the load spreads its users over them.</summary>
    public IReadOnlyList<Uri> Edges => [.. Ports.ReplicasOf("edge").Select(e => new Uri($"http://127.0.0.1:{Ports.Daemons[e]}"))];

    public string LocalPath => Path.Combine(Root, LocalDir);

    /// <summary>A process's log (JSON lines for a daemon), as the scripts write it.</summary>
    public string LogOf(string process) => Path.Combine(LocalPath, "logs", process + ".log");

    private string RedisEndpoints => string.Join(',', Ports.Redis.Select(p => $"127.0.0.1:{p}"));

    private string NatsUrls(string? userInfo) => string.Join(',', Ports.Nats.Select(p => $"nats://{(userInfo is null ? string.Empty : userInfo + "@")}127.0.0.1:{p}"));

    /// <summary>The stack as the benchmark's load generator and checks address one.</summary>
    public BenchEnvironment Bench => new(Edge, Tokens.DevelopmentKey, Postgres, Redis, "l:", Nats) { Edges = Edges };

    public ScenarioResults Results { get; }

    /// <summary>A client of the private NATS, for what a test publishes or inspects itself.</summary>
    public NatsConnection ConnectNats() => new(new NatsOpts { Url = Nats, Name = "likes-faults" });

    /// <summary>A fresh block of user and content ids for the next scenario.</summary>
    public long NextIdBase() => 1_000_000L * Interlocked.Increment(ref _scenarios);

    /// <summary>Where the servers' refusals stand now: the NATS and PostgreSQL logs' lengths; every Redis node's ACL LOG is emptied.</summary>
    public async Task<RefusalsMark> MarkRefusalsAsync()
    {
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis))
        {
            foreach (var server in redis.GetServers())
            {
                await server.ExecuteAsync("ACL", "LOG", "RESET");
            }
        }

        return new RefusalsMark(ServerLogs.ToDictionary(l => l, l => LengthOf(LogOf(l))));
    }

    /// <summary>The NATS and PostgreSQL logs, where their refusals are written.</summary>
    private IEnumerable<string> ServerLogs => NatsNodes.Concat(Cluster ? ["postgres", "postgres-standby"] : ["postgres"]);

    /// <summary>
    /// What the servers refused since <paramref name="mark"/>: NATS's permission violations, PostgreSQL's permission
    /// denials, Redis's ACL denials (but the client's CONFIG GET probe, refused on purpose).
    /// </summary>
    public async Task<IReadOnlyList<string>> RefusalsSinceAsync(RefusalsMark mark)
    {
        var refused = ServerLogs.SelectMany(l => LinesSince(LogOf(l), mark.Lengths.GetValueOrDefault(l)))
            .Where(l => l.Contains("Violation", StringComparison.Ordinal) || l.Contains("permission denied", StringComparison.Ordinal)).ToList();
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis);
        foreach (var server in redis.GetServers().Where(s => s.IsConnected))
        {
            foreach (var entry in (StackExchange.Redis.RedisResult[])(await server.ExecuteAsync("ACL", "LOG"))!)
            {
                var fields = entry.ToDictionary();
                if (fields["object"].ToString() != "config|get")
                {
                    refused.Add($"redis {server.EndPoint} ACL: {fields["username"]} {fields["reason"]} {fields["object"]}");
                }
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
        // the logs start empty too (the edge logs every publish here), so they hold this run only. A cluster's
        // PostgreSQL starts over too (a failover of the last run may have left node 2 the primary), its standby made
        // again from the primary.
        foreach (var dir in Cluster ? ["nats", "redis", "logs", "pg", "pg-standby"] : new[] { "nats", "redis", "logs" })
        {
            var path = Path.Combine(LocalPath, dir);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        if (File.Exists(Path.Combine(LocalPath, "pg-primary")))
        {
            File.Delete(Path.Combine(LocalPath, "pg-primary"));
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
        var redisNodes = Cluster ? Ports.Redis.Select(p => $"redis-{p}") : ["redis"];
        var paused = Ports.Daemons.Keys.Concat(Ports.ThirdReplicas.Keys).Concat(redisNodes).Concat(NatsNodes).Append("postgres-standby").Select(PidOf).OfType<int>().ToList();
        if (PostgresPid() is { } postmaster)
        {
            paused.AddRange(Signals.WithDescendants(postmaster));
        }

        await Signals.SendAsync(Signals.Continue, paused.Where(Signals.IsAlive));
        // A scale scenario's third replicas are not in the fleet's list: fleet_stop would leave them.
        await Signals.SendAsync(Signals.Kill, Ports.ThirdReplicas.Keys.Select(PidOf).OfType<int>().Where(Signals.IsAlive));
        // A NATS store a disk-full scenario left on its own small disk goes back where it was.
        // A partition scenario's iptables rules go too (nats_uncut removes none when there are none).
        await ScriptAsync("""
            if cluster_enabled; then nats_uncut; fi
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

    internal static string FindRoot()
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

/// <summary>
/// Free loopback ports for the private servers and daemons, chosen once per run, all distinct. In the cluster: three
/// of each NATS port, six Redis nodes (each with its cluster bus at port + 10000, free too), two PostgreSQL servers and
/// two of every daemon (<c>edge-1</c>, <c>edge-2</c>, … as scripts/fleet.sh names them).
/// </summary>
public sealed class StackPorts
{
    private const int RedisBusOffset = 10_000;

    private readonly HashSet<int> _taken = [];

    private readonly bool _cluster;

    public StackPorts(bool cluster)
    {
        _cluster = cluster;
        var nodes = cluster ? 3 : 1;
        Redis = [.. Enumerable.Range(0, cluster ? 6 : 1).Select(_ => cluster ? NextWithBus() : Next())];
        Nats = [.. Enumerable.Range(0, nodes).Select(_ => Next())];
        NatsMonitor = [.. Enumerable.Range(0, nodes).Select(_ => Next())];
        NatsRoutes = cluster ? [.. Enumerable.Range(0, nodes).Select(_ => Next())] : [];
        Postgres = [.. Enumerable.Range(0, cluster ? 2 : 1).Select(_ => Next())];
        Daemons = PrivateStack.Daemons.SelectMany(ReplicasOf).ToDictionary(d => d, _ => Next());
        ThirdReplicas = cluster ? Workers.ToDictionary(w => $"{w}-3", _ => Next()) : new Dictionary<string, int>();
    }

    /// <summary>The workers whose partitions are leased: a third replica of each joins and leaves in the scale scenario.</summary>
    public static IReadOnlyList<string> Workers { get; } = ["aggregator", "persister"];

    /// <summary>In the cluster, ports for <c>aggregator-3</c> and <c>persister-3</c>, started only by a scenario.</summary>
    public IReadOnlyDictionary<string, int> ThirdReplicas { get; }

    public IReadOnlyList<int> Redis { get; }

    public IReadOnlyList<int> Nats { get; }

    public IReadOnlyList<int> NatsMonitor { get; }

    public IReadOnlyList<int> NatsRoutes { get; }

    /// <summary>The primary, then (in the cluster) the standby, as started.</summary>
    public IReadOnlyList<int> Postgres { get; }

    /// <summary>Each daemon process's port, by the name scripts/fleet.sh gives it.</summary>
    public IReadOnlyDictionary<string, int> Daemons { get; }

    /// <summary>The processes of one daemon: itself, or in the cluster its two replicas.</summary>
    public IReadOnlyList<string> ReplicasOf(string daemon) => _cluster ? [$"{daemon}-1", $"{daemon}-2"] : [daemon];

    public static string List(IEnumerable<int> ports) => string.Join(' ', ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));

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

    private int NextWithBus()
    {
        while (true)
        {
            var port = Next();
            if (port + RedisBusOffset <= ushort.MaxValue && IsFree(port + RedisBusOffset) && _taken.Add(port + RedisBusOffset))
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}

/// <summary>How long each server log was when a scenario began.</summary>
public readonly record struct RefusalsMark(IReadOnlyDictionary<string, long> Lengths);

[CollectionDefinition(Name)]
public sealed class PrivateStackCollection : ICollectionFixture<PrivateStack>
{
    public const string Name = "private stack";
}

/// <summary>The production topology of scripts/cluster.sh as a private stack.</summary>
public sealed class PrivateClusterStack() : PrivateStack(cluster: true);

[CollectionDefinition(Name)]
public sealed class PrivateClusterStackCollection : ICollectionFixture<PrivateClusterStack>
{
    public const string Name = "private cluster stack";
}
