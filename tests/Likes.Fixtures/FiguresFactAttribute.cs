using Xunit;

namespace Likes.Fixtures;

/// <summary>
/// Figures are opt-in (<c>LIKES_FIGURES=1</c>): they load large data sets and take their time, and would slow
/// every <c>./likes test</c>. They print what they measure and assert only that the system stayed right.
/// </summary>
public sealed class FiguresFactAttribute : FactAttribute
{
    public FiguresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LIKES_FIGURES") != "1")
        {
            Skip = "figures run only with LIKES_FIGURES=1";
        }
    }
}
