using Likes.Bench.Demo;
using Likes.Bench.Load;
using Likes.Bench.Workload;
using Xunit;

namespace Likes.Bench.Tests;

/// <summary>The demo's population: the scrollers are its active users, the inactive ones take ids of their own, the contents are the demo's.</summary>
public class DemoPopulationTests
{
    private static readonly DemoOptions Small = DemoOptions.Showcase with { Users = 320, Contents = 100, Clients = 32 };

    [Fact]
    public void ActiveUsersAreTheScrollers_TheOthersIdsOfTheirOwn_AndEveryLikeIsOfADemoContent()
    {
        using var edge = new EdgeClient(new Uri("http://127.0.0.1:1"), "a-key-for-the-demo-population-test-0123", 1);
        var traffic = new LikeTraffic(edge, new TrafficShape(Small.Users, Small.Contents, Small.Clients, Small.UnlikeShare));

        var population = DemoPopulation.Generate(Small, traffic);

        var users = Enumerable.Range(0, population.Shape.Users).ToList();
        var active = users.Where(population.IsActive).Select(population.IdOfUser).ToHashSet();
        var inactive = users.Where(u => !population.IsActive(u)).Select(population.IdOfUser).ToList();
        Assert.Equal(Enumerable.Range(0, Small.Users).Select(i => traffic.FirstUser + i).ToHashSet(), active);
        Assert.Equal(inactive.Count, inactive.Distinct().Count());
        Assert.All(inactive, id => Assert.True(id >= traffic.NextFreeUser));
        Assert.All(population.Rows(), r => Assert.InRange(r.ContentId, traffic.FirstContent, traffic.LastContent));
        Assert.Equal(Small.Users * Small.UsersPerScroller * Small.LikesPerUser, population.Rows().Count());
    }
}
