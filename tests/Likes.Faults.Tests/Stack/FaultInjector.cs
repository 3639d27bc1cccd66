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

    public async Task FlushRedisAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis + ",allowAdmin=true");
        await redis.GetServers()[0].FlushAllDatabasesAsync();
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
