using Likes.Bench.Report;
using Xunit;

namespace Likes.Bench.Tests;

public class GoalsTests
{
    [Fact]
    public void EachGoalOfTheIssue_IsJudged()
    {
        var goals = Goals.Evaluate(Results.All());

        Assert.Equal(["feed_state", "ingest", "hot_burst", "peer: hot burst", "peer: ingest", "persist", "memory", "exactness"], goals.Select(g => g.Scenario));
        Assert.Equal([true, false, true, true, true, false, false, true], goals.Select(g => g.Met));
    }

    [Fact]
    public void FeedState_NeedsBothTheRatioAndTheP99()
    {
        var results = Results.All();
        results.FeedState = results.FeedState! with { RatioVsPg = 3, SystemP99Ms = 5 };
        Assert.True(Goals.Evaluate(results).Single(g => g.Scenario == "feed_state").Met);

        results.FeedState = results.FeedState with { SystemP99Ms = 5.01 };
        Assert.False(Goals.Evaluate(results).Single(g => g.Scenario == "feed_state").Met);
    }

    [Fact]
    public void PeerHotBurst_NeedsFiveTimesTheRate_AndAFifthOfTheP99()
    {
        var results = Results.All();
        results.HotBurst = results.HotBurst! with { RatioVsSyncPg = 5, P99ShareOfSyncPg = 0.2 };
        Assert.True(Goals.Evaluate(results).Single(g => g.Scenario == "peer: hot burst").Met);

        results.HotBurst = results.HotBurst with { P99ShareOfSyncPg = 0.25 };
        Assert.False(Goals.Evaluate(results).Single(g => g.Scenario == "peer: hot burst").Met);
    }

    [Fact]
    public void HotBurst_ThatNeverBecameExact_IsShort()
    {
        var results = Results.All();
        results.HotBurst = results.HotBurst! with { SecondsToExact = null };

        var goal = Goals.Evaluate(results).Single(g => g.Scenario == "hot_burst");

        Assert.False(goal.Met);
        Assert.Contains("never", goal.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_WithAWrongAnswer_IsShortWhateverTheSaving()
    {
        var results = Results.All();
        results.Memory = results.Memory! with { SavingPct = 95 };
        Assert.True(Goals.Evaluate(results).Single(g => g.Scenario == "memory").Met);

        results.FeedState = results.FeedState! with { AnswersWrong = 1 };
        Assert.False(Goals.Evaluate(results).Single(g => g.Scenario == "memory").Met);
    }

    [Fact]
    public void AScenarioThatFailed_IsShort_AndSaysWhy()
    {
        var results = Results.All();
        results.Ingest = null;
        results.Errors["ingest"] = "TimeoutException: edge not ready";

        var goal = Goals.Evaluate(results).Single(g => g.Scenario == "ingest");

        Assert.False(goal.Met);
        Assert.Equal("not measured: TimeoutException: edge not ready", goal.Measured);
    }

    [Fact]
    public void Exactness_IsShortOnAnyDriftOrLoss()
    {
        var results = Results.All();
        results.Exactness = results.Exactness! with { LostLikes = 1 };

        Assert.False(Goals.Evaluate(results).Single(g => g.Scenario == "exactness").Met);
    }

    [Fact]
    public void Exactness_IsShortOnAnyWrongAnswer()
    {
        var results = Results.All();
        results.Exactness = results.Exactness! with { WrongAnswers = 1 };

        Assert.False(Goals.Evaluate(results).Single(g => g.Scenario == "exactness").Met);
    }
}
