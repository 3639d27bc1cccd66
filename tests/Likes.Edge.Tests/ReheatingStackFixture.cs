namespace Likes.Edge.Tests;

/// <summary>The live stack with timelines of the default N (1,000) and the reheater.</summary>
public sealed class ReheatingStackFixture : LiveStackFixture
{
    protected override bool Reheats => true;
}
