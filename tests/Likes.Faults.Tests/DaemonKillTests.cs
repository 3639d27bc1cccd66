using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>Each daemon killed with SIGKILL while it works (a batch in hand, a request in flight, a job running), then restarted.</summary>
[Collection(PrivateStackCollection.Name)]
public sealed class DaemonKillTests(PrivateStack stack, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, "edge")]
    [InlineData(2, "aggregator")]
    [InlineData(3, "persister")]
    [InlineData(4, "reheater")]
    [InlineData(5, "reconciler")]
    public async Task Kill9_UnderLoad_LosesNoAcknowledgedWrite_AndOneReconcileLeavesCountsExact(int order, string daemon)
    {
        var killed = 0;
        var plan = new FaultPlan(order, $"kill -9 {daemon}", $"SIGKILL of the {daemon} under load; restarted",
            async c => killed = await c.Faults.KillAsync(daemon),
            c => c.Faults.RestartMissingAsync());

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        Assert.NotEqual(killed, stack.PidOf(daemon));
    }
}
