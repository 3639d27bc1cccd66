namespace Likes.Edge.Tests;

/// <summary>The live stack with timelines of N = 10, so a user's likes outgrow their timeline after ten.</summary>
public class SmallTimelineStackFixture : LiveStackFixture
{
    public const int TimelineSize = 10;

    public override Dictionary<string, string?> Configuration()
    {
        var configuration = base.Configuration();
        configuration["Timeline:Size"] = TimelineSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return configuration;
    }
}
