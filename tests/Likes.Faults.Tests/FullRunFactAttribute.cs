using Xunit;

namespace Likes.Faults.Tests;

/// <summary>
/// A scenario that runs at full size only (<c>./likes faults</c>): <c>./likes test</c> keeps one short scenario of its
/// kind and leaves the rest, each of which costs a minute of a shared machine, to the fault run.
/// </summary>
public sealed class FullRunFactAttribute : FactAttribute
{
    public FullRunFactAttribute()
    {
        if (FaultSize.Current != FaultSize.Full)
        {
            Skip = "full size only: ./likes faults";
        }
    }
}
