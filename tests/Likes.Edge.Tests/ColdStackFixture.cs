extern alias reheater;

using Likes.Fixtures;
using static reheater::Likes.Reheater.ReheaterRegistration;

namespace Likes.Edge.Tests;

/// <summary>The live stack with timelines of N = 10 and the reheater: reads that find Redis cold get it rebuilt.</summary>
public sealed class ColdStackFixture : SmallTimelineStackFixture
{
    private DaemonHost _reheater = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _reheater = await DaemonHost.StartAsync("reheater", b => b.AddReheater(), Configuration());
    }

    public override async Task DisposeAsync()
    {
        await _reheater.DisposeAsync();
        await base.DisposeAsync();
    }
}
