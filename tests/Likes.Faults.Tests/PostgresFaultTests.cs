using Likes.Faults.Tests.Load;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>PostgreSQL is the truth but not on the write path: while it is away writes are accepted, and land after.</summary>
[Collection(PrivateStackCollection.Name)]
public sealed class PostgresFaultTests(PrivateStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresPaused_WritesAreAccepted_AndPersistedAfterItResumes()
    {
        var plan = new FaultPlan(9, "PostgreSQL paused, resumed", "SIGSTOP of every PostgreSQL process under load; SIGCONT",
            c => c.Faults.PausePostgresAsync(),
            c => c.Faults.ResumePostgresAsync());

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        run.AssertEveryWriteAcceptedDuringFault();
    }

    [Fact]
    public async Task PostgresRestarted_NothingAcknowledgedIsLost_AndCountsAreExact()
    {
        var plan = new FaultPlan(10, "PostgreSQL restarted", "immediate shutdown (crash recovery on start) under load; started again",
            c => c.Faults.CrashPostgresAsync(),
            c => c.Faults.RestartMissingAsync());

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        Assert.All(run.DuringFault(RequestKind.Write), w => Assert.Equal(202, w.Status));
    }
}
