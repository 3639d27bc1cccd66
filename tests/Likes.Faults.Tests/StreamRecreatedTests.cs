using Likes.Bench.Checks;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// The event stream deleted and provisioned again while the fleet runs: its sequences start at 1 again, far below
/// what timelines and PostgreSQL recorded of the old one. New likes must land and read back all the same. The edge is
/// paused over the change and the old stream drained first: what an operator does, so that the deletion itself loses
/// nothing acknowledged.
/// </summary>
[Collection(PrivateStackCollection.Name)]
public sealed class StreamRecreatedTests(PrivateStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task StreamDeletedAndProvisionedAgain_NewWritesLandAndReadBack_OnTheNewStream()
    {
        var plan = new FaultPlan(15, "stream deleted, provisioned again", "edge paused, the stream drained, deleted and provisioned again (sequences from 1), edge resumed",
            async c =>
            {
                await c.Faults.PauseAsync("edge");
                var drained = await CatchUp.WaitAsync(c.Stack.Bench, TimeSpan.FromMinutes(1), CancellationToken.None);
                Assert.True(drained.CaughtUp, "the old stream did not drain: " + string.Join("; ", drained.Behind));
                await c.Faults.DeleteAndProvisionStreamAsync();
                await c.Faults.ResumeAsync("edge");
            },
            _ => Task.CompletedTask);

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
    }
}
