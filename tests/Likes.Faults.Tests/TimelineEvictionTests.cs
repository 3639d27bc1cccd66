using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// Timelines evicted while the persister lags behind the aggregator: the rebuilds the reads ask for must not put back a
/// "complete" timeline without the likes the aggregator already applied (it will never apply them again).
/// </summary>
[Collection(PrivateStackCollection.Name)]
public sealed class TimelineEvictionTests(PrivateStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task TimelinesEvictedWhileThePersisterLags_RebuildsMissNoAppliedLike()
    {
        var evictions = 0L;
        using var evicting = new CancellationTokenSource();
        Task? loop = null;
        var plan = new FaultPlan(16, "timelines evicted while the persister lags", "persister paused; every user's timeline and filter deleted every 250 ms, reads asking for rebuilds; persister resumed",
            async c =>
            {
                await c.Faults.PauseAsync("persister");
                loop = Task.Run(async () =>
                {
                    while (!evicting.IsCancellationRequested)
                    {
                        evictions += await c.Faults.EvictTimelinesAsync(c.IdBase, c.IdBase + c.Size.Users);
                        await Task.Delay(250);
                    }
                });
            },
            async c =>
            {
                await evicting.CancelAsync();
                await loop!;
                await c.Faults.ResumeAsync("persister");
                c.Notes.Add($"{evictions:N0} keys evicted");
            });

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
    }
}
