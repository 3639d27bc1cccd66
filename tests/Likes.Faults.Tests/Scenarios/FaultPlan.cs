using System.Diagnostics;
using Likes.Faults.Tests.Load;
using Likes.Faults.Tests.Stack;

namespace Likes.Faults.Tests.Scenarios;

/// <summary>
/// One scenario: what is done to the stack under load (<see cref="Inject"/>), what brings it back
/// (<see cref="Recover"/>), and how it is named in the report. <see cref="Order"/> is its row in the table.
/// </summary>
public sealed record FaultPlan(int Order, string Name, string Faults, Func<FaultContext, Task> Inject, Func<FaultContext, Task> Recover)
{
    public LoadShape Shape { get; init; } = LoadShape.Default;

    /// <summary>How long the fault stays before recovery starts, when not the size's usual hold.</summary>
    public TimeSpan? Hold { get; init; }

    /// <summary>
    /// Refusals the fault makes on purpose (a grant revoked), as text a server's log line or ACL LOG entry contains; any
    /// other refusal during the scenario fails it: a daemon refused by its own grants.
    /// </summary>
    public IReadOnlyList<string> ExpectedRefusals { get; init; } = [];
}

/// <summary>What a plan's steps work with: the stack, the scenario's id block, its history and clock.</summary>
public sealed class FaultContext(PrivateStack stack, FaultSize size, long idBase, History history, Stopwatch clock)
{
    public PrivateStack Stack => stack;

    public FaultInjector Faults { get; } = new(stack);

    public FaultSize Size => size;

    public long IdBase => idBase;

    public History History => history;

    public TimeSpan Now => clock.Elapsed;

    /// <summary>Users the load never uses (it stays below <c>IdBase + Users</c>), for writes a fault makes itself.</summary>
    public long SpareUser(int i) => idBase + size.Users + 1 + i;

    /// <summary>What the plan found out while it ran (a count, a pid), shown in the report's faults column and the test output.</summary>
    public List<string> Notes { get; } = [];
}
