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
}
