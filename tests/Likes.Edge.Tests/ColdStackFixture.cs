namespace Likes.Edge.Tests;

/// <summary>The live stack with timelines of N = 10 and the reheater: reads that find Redis cold get it rebuilt.</summary>
public sealed class ColdStackFixture : SmallTimelineStackFixture
{
    protected override bool Reheats => true;
}
