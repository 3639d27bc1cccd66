using StackExchange.Redis;

namespace Likes.Faults.Tests.Stack;

/// <summary>
/// The faults, done to the private stack's processes the way they happen in production: a process killed
/// with SIGKILL, a server paused with SIGSTOP, a cache emptied. Recovery is the scripts starting again what
/// is missing, as <c>./likes up</c> (or a supervisor) would.
/// </summary>
public sealed class FaultInjector(PrivateStack stack)
{
    /// <summary>SIGKILL: no shutdown hook, no final ack or flush. Returns the pid that was killed.</summary>
    public async Task<int> KillAsync(string process)
    {
        var pid = stack.PidOf(process) ?? throw new InvalidOperationException($"{process} is not running");
        await Signals.SendAsync(Signals.Kill, [pid]);
        await WaitDeadAsync(pid);
        return pid;
    }

    public async Task PauseAsync(string process) => await Signals.SendAsync(Signals.Stop, [stack.PidOf(process) ?? throw new InvalidOperationException($"{process} is not running")]);

    public async Task ResumeAsync(string process) => await Signals.SendAsync(Signals.Continue, [stack.PidOf(process) ?? throw new InvalidOperationException($"{process} is not running")]);

    /// <summary>Every PostgreSQL process (postmaster and backends) stopped: connections stay open, nothing answers.</summary>
    public Task PausePostgresAsync() => Signals.SendAsync(Signals.Stop, PostgresProcesses());

    public Task ResumePostgresAsync() => Signals.SendAsync(Signals.Continue, PostgresProcesses());

    /// <summary>An immediate shutdown: every backend ends at once, no checkpoint; the next start replays the WAL, as after a crash.</summary>
    public Task CrashPostgresAsync() => stack.ScriptAsync("""_as_pg "$LIKES_PG_BIN/pg_ctl" -D "$(_pg_dir)" -m immediate -w -t 30 stop >/dev/null""");

    /// <summary>
    /// SIGKILL of the cluster's PostgreSQL primary, its postmaster and every backend at once (the machine gone); returns
    /// its process name (<c>postgres</c> or <c>postgres-standby</c>, whichever node is the primary now).
    /// </summary>
    public async Task<string> KillPostgresPrimaryAsync()
    {
        var primary = await PostgresPrimaryAsync();
        var tree = Signals.WithDescendants(stack.PidOf(primary) ?? throw new InvalidOperationException($"{primary} is not running"));
        await Signals.SendAsync(Signals.Kill, tree);
        foreach (var pid in tree)
        {
            await WaitDeadAsync(pid);
        }

        return primary;
    }

    /// <summary>The failover an operator runs (<c>./likes pg-promote --cluster</c>): the standby promoted and recorded as the primary.</summary>
    public Task PromotePostgresStandbyAsync() => stack.ScriptAsync("pg_promote >/dev/null");

    /// <summary>The process name of the node the scripts record as the PostgreSQL primary.</summary>
    public async Task<string> PostgresPrimaryAsync()
        => (await stack.ScriptAsync("""_pg_node_name "$(pg_primary_node)" """)).Trim().Split('\n')[^1];

    /// <summary>Every master emptied (a Redis Cluster's replicas follow their masters).</summary>
    public async Task FlushRedisAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis + ",allowAdmin=true");
        await Task.WhenAll(redis.GetServers().Where(s => !s.IsReplica).Select(s => s.FlushAllDatabasesAsync()));
    }

    /// <summary>
    /// A third replica of the aggregator and of the persister started beside the two (as a scale-up would), each with
    /// its daemon's credentials; returns once both are ready. They take their share of the partitions by lease.
    /// </summary>
    public Task AddThirdWorkerReplicasAsync()
    {
        var lists = string.Join(' ', StackPorts.Workers.Select(w =>
            $"LIKES_{w.ToUpperInvariant()}_PORTS='{string.Join(' ', stack.Ports.ReplicasOf(w).Select(r => stack.Ports.Daemons[r]).Append(stack.Ports.ThirdReplicas[$"{w}-3"]))}'"));
        return stack.ScriptAsync($"{lists} fleet_start >/dev/null");
    }

    /// <summary>The third replicas stopped as a scale-down stops a pod (SIGTERM): each hands its partitions back.</summary>
    public Task RemoveThirdWorkerReplicasAsync() => stack.ScriptAsync("""
        for n in aggregator-3 persister-3; do
            if pid_alive "$(_pid_file "$n")"; then _stop_pid "$(_pid_of "$(_pid_file "$n")")" 15; fi
            rm -f "$(_pid_file "$n")"
        done
        """);

    /// <summary>A NATS node that holds a replica of the event stream but does not lead it.</summary>
    public async Task<string> StreamFollowerAsync()
    {
        var leader = await StreamLeaderAsync();
        return stack.NatsNodes.First(n => n != leader);
    }

    /// <summary>
    /// NATS node <paramref name="node"/> (<c>nats-&lt;i&gt;</c>) cut off from the other two: its route traffic dropped
    /// (iptables, scripts/cluster.sh <c>nats_node_cut</c>); its clients still reach it.
    /// </summary>
    public Task CutNatsNodeAsync(string node) => stack.ScriptAsync($"nats_node_cut {node["nats-".Length..]} >/dev/null");

    /// <summary>Every route cut removed; safe when none is in place.</summary>
    public Task RestoreNatsRoutesAsync() => stack.ScriptAsync("nats_uncut");

    /// <summary>
    /// Waits until every replica of the event stream is current again (each node's store caught up with the leader),
    /// as the leader's <c>/jsz</c> reports them; returns how long that took.
    /// </summary>
    public async Task<TimeSpan> WaitStreamReplicasCurrentAsync(TimeSpan limit)
    {
        var stream = new Likes.Shared.Configuration.StreamOptions().Name;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var monitor = stack.Ports.NatsMonitor[int.Parse((await StreamLeaderAsync())["nats-".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1];
            try
            {
                using var jsz = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{monitor}/jsz?streams=true")));
                var cluster = jsz.RootElement.GetProperty("account_details").EnumerateArray()
                    .SelectMany(a => a.TryGetProperty("stream_detail", out var d) ? d.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
                    .Where(d => d.GetProperty("name").GetString() == stream)
                    .Select(d => d.GetProperty("cluster"))
                    .FirstOrDefault();
                if (cluster.ValueKind == System.Text.Json.JsonValueKind.Object && cluster.TryGetProperty("replicas", out var replicas)
                    && replicas.GetArrayLength() == stack.NatsNodes.Count - 1
                    && replicas.EnumerateArray().All(r => r.TryGetProperty("current", out var current) && current.GetBoolean()))
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // The leader moved or is restarting: ask again.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the replicas of {stream} were not current after {limit.TotalSeconds:F0} s");
    }

    /// <summary>The process (<c>redis-&lt;port&gt;</c>) of a Redis Cluster master, as the admin's client sees the cluster now.</summary>
    public async Task<string> RedisMasterAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis);
        var master = redis.GetServers().First(s => s.IsConnected && !s.IsReplica);
        return $"redis-{((System.Net.IPEndPoint)master.EndPoint).Port}";
    }

    /// <summary>The process (<c>nats-&lt;i&gt;</c>) of the node leading the event stream, from a node's <c>/jsz</c>.</summary>
    public async Task<string> StreamLeaderAsync()
    {
        var stream = new Likes.Shared.Configuration.StreamOptions().Name;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var monitor in stack.Ports.NatsMonitor)
        {
            try
            {
                using var jsz = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{monitor}/jsz?streams=true")));
                var leader = jsz.RootElement.GetProperty("account_details").EnumerateArray()
                    .SelectMany(a => a.TryGetProperty("stream_detail", out var d) ? d.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
                    .Where(d => d.GetProperty("name").GetString() == stream)
                    .Select(d => d.GetProperty("cluster").TryGetProperty("leader", out var l) ? l.GetString() : null)
                    .FirstOrDefault(l => l is not null);
                if (leader is not null)
                {
                    // Servers are named likes-n<i> (scripts/cluster.sh), their pid files nats-<i>.
                    return "nats-" + leader["likes-n".Length..];
                }
            }
            catch (HttpRequestException)
            {
                // That node is down: ask the next.
            }
        }

        throw new InvalidOperationException($"no NATS node names a leader of {stream}");
    }

    /// <summary>
    /// Takes the daemons' rights away: the persister's INSERT and DELETE on <c>likes</c>, the aggregator's Redis scripts
    /// (a grant and an ACL line lost in a deploy). <see cref="GrantBackAsync"/> restores both exactly as provisioned.
    /// </summary>
    public async Task RevokeGrantsAsync()
    {
        await stack.ScriptAsync("_pg_psql -d likes -c 'REVOKE INSERT, DELETE ON likes FROM likes_persister'");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis);
        await redis.GetDatabase().ExecuteAsync("ACL", "SETUSER", "likes_aggregator", "-@scripting");
    }

    /// <summary>The migrations' grants again, and the ACL file the server started with.</summary>
    public async Task GrantBackAsync()
    {
        await stack.ScriptAsync("_pg_psql -d likes -c 'GRANT INSERT, DELETE ON likes TO likes_persister'");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis);
        await redis.GetDatabase().ExecuteAsync("ACL", "LOAD");
    }

    /// <summary>Redis answers no client (CLIENT PAUSE ALL) for <paramref name="pause"/>; it resumes on its own.</summary>
    public async Task PauseRedisClientsAsync(TimeSpan pause)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis + ",allowAdmin=true");
        var milliseconds = ((long)pause.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Task.WhenAll(redis.GetServers().Select(s => s.ExecuteAsync("CLIENT", "PAUSE", milliseconds, "ALL")));
    }

    /// <summary>Redis's memory limit, as <c>CONFIG SET maxmemory</c> (eviction as configured: allkeys-lru).</summary>
    public async Task SetRedisMaxMemoryAsync(string limit)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis + ",allowAdmin=true");
        await Task.WhenAll(redis.GetServers().Select(s => s.ConfigSetAsync("maxmemory", limit)));
    }

    /// <summary>Deletes the timelines (and filters) of users <paramref name="first"/> … <paramref name="last"/>: an eviction.</summary>
    public async Task<long> EvictTimelinesAsync(long first, long last)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis);
        var keys = new Likes.Shared.RedisKeys(new Likes.Shared.Configuration.RedisOptions().KeyPrefix);
        var users = Enumerable.Range(0, (int)(last - first + 1)).Select(i => first + i);
        return await redis.GetDatabase().KeyDeleteAsync([.. users.SelectMany(u => new RedisKey[] { keys.Timeline(u), keys.Bloom(u) })]);
    }

    /// <summary>Deletes the event stream, as an operator might, and provisions it again (<c>likes-admin streams</c>).</summary>
    public async Task DeleteAndProvisionStreamAsync()
    {
        await using (var nats = stack.ConnectNats())
        {
            await new NATS.Client.JetStream.NatsJSContext(nats).DeleteStreamAsync(new Likes.Shared.Configuration.StreamOptions().Name);
        }

        await stack.ScriptAsync("fleet_provision >/dev/null");
    }

    /// <summary>
    /// Moves the NATS store onto a disk of its own with <paramref name="headroom"/> free beyond what it holds now (a
    /// tmpfs, as root), and restarts nats-server on it: the load fills it. <see cref="FreeNatsDiskAsync"/> moves it back.
    /// </summary>
    public async Task FillNatsDiskAsync(long headroom)
    {
        await KillAsync("nats");
        await stack.ScriptAsync($"""
            store="$(_local_dir)/nats"; held="$store.disk"
            rm -rf "$held" && cp -a "$store" "$held"
            size=$(( $(du -sb "$held" | cut -f1) + {headroom} ))
            mount -t tmpfs -o size=$size likes-nats-store "$store" && cp -a "$held/." "$store/"
            nats_start >/dev/null
            """);
    }

    public async Task FreeNatsDiskAsync()
    {
        await KillAsync("nats");
        await stack.ScriptAsync("""
            store="$(_local_dir)/nats"; held="$store.disk"
            rm -rf "$held" && cp -a "$store" "$held" && umount "$store" && rm -rf "$store" && mv "$held" "$store"
            nats_start >/dev/null
            """);
    }

    /// <summary>
    /// Keeps a copy of the NATS store as it is now: what its disk would still hold after a machine crash if nothing
    /// written after this reached it (nats-server leaves writes to the page cache, synced every 2 minutes by default).
    /// </summary>
    public Task KeepNatsStoreAsync() => stack.ScriptAsync("""
        store="$(_local_dir)/nats"; rm -rf "$store.kept" && cp -a "$store" "$store.kept"
        """);

    /// <summary>Kills nats-server and starts it on the copy <see cref="KeepNatsStoreAsync"/> kept: the machine crash.</summary>
    public async Task CrashNatsToKeptStoreAsync()
    {
        await KillAsync("nats");
        await stack.ScriptAsync("""
            store="$(_local_dir)/nats"; rm -rf "$store" && mv "$store.kept" "$store"
            nats_start >/dev/null
            """);
    }

    /// <summary>Starts whatever is not running and waits until every daemon is ready.</summary>
    public Task RestartMissingAsync() => stack.EnsureUpAsync();

    private List<int> PostgresProcesses()
        => stack.PostgresPid() is { } postmaster ? [.. Signals.WithDescendants(postmaster)] : throw new InvalidOperationException("postgres is not running");

    private static async Task WaitDeadAsync(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Signals.IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"process {pid} still alive after SIGKILL");
            }

            await Task.Delay(20);
        }
    }
}
