using Likes.Faults.Tests.Load;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>Redis is a cache: losing it costs degraded reads and rebuilds, never a like, never a 500.</summary>
[Collection(PrivateStackCollection.Name)]
public sealed class RedisFaultTests(PrivateStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task RedisKilledAndRestartedEmpty_ReadsComeFromPostgresOrDegraded_WritesAreAccepted()
    {
        var plan = new FaultPlan(6, "Redis killed, restarted empty", "SIGKILL of Redis under load; restarted empty (no persistence)",
            c => c.Faults.KillAsync("redis"),
            c => c.Faults.RestartMissingAsync());

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        var reads = run.DuringFault(RequestKind.Read).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.Equal(200, r.Status));
        Assert.All(run.DuringFault(RequestKind.Write), w => Assert.Equal(202, w.Status));
    }

    [Fact]
    public async Task RedisFlushed_NothingIsLost_AndCountsAreExactAfterOneReconcile()
    {
        var plan = new FaultPlan(7, "Redis FLUSHALL", "FLUSHALL under load: every timeline and counter gone at once",
            c => c.Faults.FlushRedisAsync(),
            _ => Task.CompletedTask);

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
    }

    [Fact]
    public async Task RedisPausingEveryClient_ReadsAnswerWithoutIt_WritesAreAccepted()
    {
        var plan = new FaultPlan(17, "Redis CLIENT PAUSE", "CLIENT PAUSE ALL for the hold under load: Redis answers nobody, then resumes on its own",
            c => c.Faults.PauseRedisClientsAsync(c.Size.Hold),
            _ => Task.CompletedTask);

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        Assert.All(run.DuringFault(RequestKind.Write), w => Assert.Equal(202, w.Status));
        Assert.All(run.DuringFault(RequestKind.Read), r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task RedisWithATinyMemoryLimit_EvictsEverything_NothingIsLost_AndAnswersStayRight()
    {
        var plan = new FaultPlan(18, "Redis maxmemory tiny", "maxmemory 2mb (allkeys-lru) under load: timelines, counters and positions evicted all the time; limit restored",
            c => c.Faults.SetRedisMaxMemoryAsync("2mb"),
            c => c.Faults.SetRedisMaxMemoryAsync(Environment.GetEnvironmentVariable("LIKES_REDIS_MAXMEMORY") ?? "512mb"));

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        Assert.All(run.DuringFault(RequestKind.Read), r => Assert.Equal(200, r.Status));
    }
}
