using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// Faults of the production topology (scripts/cluster.sh: three NATS nodes with R3 streams, a Redis Cluster, a
/// PostgreSQL standby, two of every daemon), checked as the single-node scenarios are. The load spreads its users over both edges.
/// </summary>
[Collection(PrivateClusterStackCollection.Name)]
public sealed class ClusterFaultTests(PrivateClusterStack stack, ITestOutputHelper output)
{
    /// <summary>Longer than the Redis Cluster's node timeout (scripts/cluster.sh, 5 s): the replica takes over before the master is back.</summary>
    private static readonly TimeSpan PastFailover = TimeSpan.FromSeconds(10);

    /// <summary>Several of JetStream's election timeouts: the two connected nodes elect a leader while the third is cut off.</summary>
    private static readonly TimeSpan CutHold = TimeSpan.FromSeconds(15);

    /// <summary>How long a node back from a cut may take to have the stream's events it missed.</summary>
    private static readonly TimeSpan StreamCatchUpLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kill9TheStreamLeader_UnderLoad_LosesNoAcknowledgedWrite()
    {
        var plan = new FaultPlan(1, "kill -9 the stream leader", "SIGKILL of the NATS node leading LIKES under load; restarted",
            KillFound(f => f.StreamLeaderAsync()),
            async c =>
            {
                await c.Faults.RestartMissingAsync();
                c.Notes.Add($"leader after: {await c.Faults.StreamLeaderAsync()}");
            });

        (await ScenarioRun.RunAsync(stack, plan, output)).AssertInvariants();
    }

    [FullRunFact]
    public async Task Kill9AStreamFollower_UnderLoad_LosesNoAcknowledgedWrite()
    {
        var plan = new FaultPlan(2, "kill -9 a stream follower", "SIGKILL of a NATS node holding a replica of LIKES under load; restarted",
            KillFound(f => f.StreamFollowerAsync()),
            c => c.Faults.RestartMissingAsync());

        (await ScenarioRun.RunAsync(stack, plan, output)).AssertInvariants();
    }

    [FullRunFact]
    public async Task SigstopTheStreamLeaderFor10s_UnderLoad_LosesNoAcknowledgedWrite()
    {
        var leader = string.Empty;
        var plan = new FaultPlan(3, "SIGSTOP the stream leader 10 s", "the NATS node leading LIKES paused 10 s under load (the others elect a leader), then resumed",
            async c =>
            {
                leader = await c.Faults.StreamLeaderAsync();
                await c.Faults.PauseAsync(leader);
                c.Notes.Add($"paused {leader}");
            },
            c => c.Faults.ResumeAsync(leader))
        {
            Hold = TimeSpan.FromSeconds(10),
        };

        (await ScenarioRun.RunAsync(stack, plan, output)).AssertInvariants();
    }

    [FullRunFact]
    public async Task Kill9ARedisMaster_UnderLoad_ItsReplicaTakesOver()
    {
        var plan = new FaultPlan(4, "kill -9 a Redis master", "SIGKILL of a Redis Cluster master under load; its replica takes over; the node restarted, rejoins as a replica",
            KillFound(f => f.RedisMasterAsync()),
            c => c.Faults.RestartMissingAsync())
        {
            Hold = PastFailover,
        };

        (await ScenarioRun.RunAsync(stack, plan, output)).AssertInvariants();
    }

    [FullRunFact]
    public async Task Kill9OneReplicaOfEachWorker_UnderLoad_TheOtherTakesItsShare()
    {
        string[] replicas = ["aggregator-1", "persister-1", "reheater-1", "reconciler-1", "edge-2"];
        var plan = new FaultPlan(5, "kill -9 one replica of each daemon", "SIGKILL of aggregator-1, persister-1, reheater-1, reconciler-1 and edge-2 at once under load; restarted",
            async c =>
            {
                foreach (var replica in replicas)
                {
                    await c.Faults.KillAsync(replica);
                }
            },
            c => c.Faults.RestartMissingAsync())
        {
            // Past the lease TTL (6 s): the surviving replicas take the dead ones' partitions before they come back.
            Hold = PastFailover,
        };

        (await ScenarioRun.RunAsync(stack, plan, output)).AssertInvariants();
    }

    [FullRunFact]
    public async Task WorkersFrom2To3AndBackTo2_UnderLoad_LoseNothingAndReorderNothing()
    {
        var plan = new FaultPlan(6, "aggregator and persister 2 → 3 → 2", "a third aggregator and persister started under load (they take partitions by lease), then stopped with SIGTERM (they hand them back)",
            c => c.Faults.AddThirdWorkerReplicasAsync(),
            c => c.Faults.RemoveThirdWorkerReplicasAsync())
        {
            Hold = PastFailover,
        };

        (await ScenarioRun.RunAsync(stack, plan, output)).AssertInvariants();
    }

    [FullRunFact]
    public async Task Kill9ThePostgresPrimary_StandbyPromoted_WritesWaitAndLand()
    {
        var plan = new FaultPlan(7, "kill -9 the PostgreSQL primary, standby promoted", "SIGKILL of the primary's postmaster and backends under load; after the hold the standby promoted (pg-promote); the old primary back as its synchronous standby from a fresh base backup",
            async c => c.Notes.Add($"killed {await c.Faults.KillPostgresPrimaryAsync()}"),
            async c =>
            {
                await c.Faults.PromotePostgresStandbyAsync();
                await c.Faults.RestartMissingAsync();
                c.Notes.Add($"primary after: {await c.Faults.PostgresPrimaryAsync()}");
            });

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        // With no primary, likes are accepted into the stream and applied after the promotion.
        run.AssertEveryWriteAcceptedDuringFault();
    }

    [FullRunFact]
    public async Task OneNatsNodeCutOff_UnderLoad_TheOtherTwoKeepTheStream()
    {
        var cut = string.Empty;
        var plan = new FaultPlan(8, "one NATS node cut off", "iptables DROP on the routes of the node leading LIKES under load for 15 s (the other two keep a quorum and elect a leader); restored, it catches up",
            async c =>
            {
                cut = await c.Faults.StreamLeaderAsync();
                await c.Faults.CutNatsNodeAsync(cut);
                c.Notes.Add($"cut {cut}");
            },
            async c =>
            {
                await c.Faults.RestoreNatsRoutesAsync();
                var caughtUp = await c.Faults.WaitStreamReplicasCurrentAsync(StreamCatchUpLimit);
                c.Notes.Add($"replicas current {caughtUp.TotalSeconds:F1} s after the restore; leader after: {await c.Faults.StreamLeaderAsync()}");
            })
        {
            Hold = CutHold,
        };

        try
        {
            (await ScenarioRun.RunAsync(stack, plan, output)).AssertInvariants();
        }
        finally
        {
            await new FaultInjector(stack).RestoreNatsRoutesAsync();
        }
    }

    /// <summary>SIGKILL of the process <paramref name="find"/> names when the fault comes (who leads changes), noted in the report.</summary>
    private static Func<FaultContext, Task> KillFound(Func<FaultInjector, Task<string>> find) => async c =>
    {
        var process = await find(c.Faults);
        await c.Faults.KillAsync(process);
        c.Notes.Add($"killed {process}");
    };
}
