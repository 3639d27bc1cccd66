using Likes.Fixtures;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>Two reconcilers at once (two replicas, or a replica and an operator's <c>reconcile</c>) repair a drift once.</summary>
public class ConcurrencyTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private readonly Stack _stack = new(fixture);

    [Fact]
    public async Task TwoRecentReconciliationsAtOnce_RepairEachDriftExactlyOnce()
    {
        await using var first = await _stack.ServicesAsync();
        await using var second = await _stack.ServicesAsync();

        for (var i = 0; i < 20; i++)
        {
            long content = 300 + i;
            // Alternately the compare-and-set path (wrong count) and the set-if-newer path (lost write).
            if (i % 2 == 0)
            {
                await _stack.SetCountRowAsync(content, count: 5, version: 3, age: TimeSpan.FromSeconds(1));
                await _stack.SetRedisAsync(content, "4:3");
            }
            else
            {
                await _stack.SetCountRowAsync(content, count: 5, version: 3, age: TimeSpan.FromSeconds(5));
                await _stack.SetRedisAsync(content, "4:2");
            }

            var reports = await Task.WhenAll(
                first.Get<RecentReconciliation>().RunAsync(CancellationToken.None),
                second.Get<RecentReconciliation>().RunAsync(CancellationToken.None));

            Assert.Equal(1, reports.Sum(r => r.About(content).Count(f => f.Repaired)));
            Assert.Equal("5:3", await _stack.RedisAsync(content));
        }
    }
}

/// <summary>Two daemons on one job store form one Quartz cluster: a scheduled run happens on one of them.</summary>
public class ClusterTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private readonly Stack _stack = new(fixture);

    [Fact]
    public async Task TwoClusteredDaemons_RepairADriftOnce_AndNeverRunTheJobTwiceAtOnce()
    {
        var everySecond = new Dictionary<string, string?> { ["Reconciler:RecentCron"] = "* * * * * ?" };
        await using var first = await _stack.DaemonAsync(everySecond);
        await using var second = await _stack.DaemonAsync(everySecond);
        RunLog[] logs = [first.Get<RunLog>(), second.Get<RunLog>()];

        const long content = 400;
        await _stack.SetCountRowAsync(content, count: 5, version: 3, age: TimeSpan.FromSeconds(1));
        await _stack.SetRedisAsync(content, "4:3");
        await Eventually.UntilAsync(async () => await _stack.RedisAsync(content) == "5:3", TimeSpan.FromSeconds(30), "drift repaired");
        var runsAtRepair = logs.Sum(l => l.Runs(RecentReconciliation.Job));
        await Eventually.UntilAsync(() => Task.FromResult(logs.Sum(l => l.Runs(RecentReconciliation.Job)) >= runsAtRepair + 3),
            TimeSpan.FromSeconds(30), "three more scheduled runs");

        Assert.Equal(1, logs.Sum(l => l.Repaired.Redis));
        Assert.Equal(1, logs.Sum(l => l.DriftFound));
        Assert.Equal("5:3", await _stack.RedisAsync(content));
        // [DisallowConcurrentExecution] holds cluster-wide: no two runs of the job overlap, on either node.
        var runs = logs.SelectMany(l => l.Recent).Where(r => r.Job == RecentReconciliation.Job).OrderBy(r => r.StartedAt).ToList();
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].StartedAt >= runs[i - 1].StartedAt + runs[i - 1].Elapsed,
                $"run {i} started at {runs[i].StartedAt:O} inside run {i - 1} ({runs[i - 1].StartedAt:O} + {runs[i - 1].Elapsed})");
        }

    }
}
