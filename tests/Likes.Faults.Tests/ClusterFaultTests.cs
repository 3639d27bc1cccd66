using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// Faults of the production topology (scripts/cluster.sh: three NATS nodes with R3 streams, a Redis Cluster, a
/// PostgreSQL standby, two of every daemon), checked as the single-node scenarios are.
/// </summary>
[Collection(PrivateClusterStackCollection.Name)]
public sealed class ClusterFaultTests(PrivateClusterStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task Kill9TheStreamLeader_UnderLoad_LosesNoAcknowledgedWrite()
    {
        var plan = new FaultPlan(1, "kill -9 the stream leader", "SIGKILL of the NATS node leading LIKES under load; restarted",
            async c => c.Notes.Add($"killed {await c.Faults.KillStreamLeaderAsync()}"),
            async c =>
            {
                await c.Faults.RestartMissingAsync();
                c.Notes.Add($"leader after: {await c.Faults.StreamLeaderAsync()}");
            });

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
    }
}
