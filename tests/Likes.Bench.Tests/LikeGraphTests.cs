using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Likes.Bench.Workload;
using Xunit;

namespace Likes.Bench.Tests;

public class LikeGraphTests
{
    private static readonly WorkloadShape Small = new(Likes: 20_000, Users: 1_000, Contents: 500, ActiveShare: 0.1);

    [Property(MaxTest = 20)]
    public Property Generate_HasExactlyTheLikesAsked_EachPairOnce_AndCountsThatAddUp(PositiveInt seed)
    {
        var graph = LikeGraph.Generate(Small, seed.Get);
        var rows = graph.Rows().ToList();
        var counts = Enumerable.Range(0, Small.Contents).Sum(graph.CountOf);
        var likers = graph.LikersByContent().Sum(c => c.Likers.Length);

        return (rows.Count == Small.Likes
                && rows.Select(r => (r.UserId, r.ContentId)).Distinct().Count() == Small.Likes
                && counts == Small.Likes
                && likers == Small.Likes)
            .ToProperty();
    }

    [Fact]
    public void Liked_AgreesWithTheRows()
    {
        var graph = LikeGraph.Generate(Small);
        var rows = graph.Rows().Select(r => (r.UserId, r.ContentId)).ToHashSet();

        for (var user = 0; user < Small.Users; user += 37)
        {
            for (var content = 0; content < Small.Contents; content += 11)
            {
                Assert.Equal(rows.Contains((LikeGraph.UserId(user), LikeGraph.ContentId(content))), graph.Liked(user, content));
            }
        }
    }

    [Fact]
    public void Popularity_FollowsZipf_TheFirstContentsTakeTheMostLikes()
    {
        var graph = LikeGraph.Generate(Small);

        Assert.True(graph.CountOf(0) > graph.CountOf(9));
        Assert.True(graph.CountOf(9) > graph.CountOf(Small.Contents - 1));
    }

    [Fact]
    public void ActiveUsers_AreTheSharedAskedFor_SpreadOverTheIds()
    {
        var active = LikeGraph.Generate(Small).ActiveUsers.ToList();

        Assert.Equal(Small.Users / 10, active.Count);
        Assert.All(active, u => Assert.Equal(0, u % 10));
    }

    [Fact]
    public void AFeedPage_HasDistinctIds_SomeOfThemTheUsersOwnLikes()
    {
        var graph = LikeGraph.Generate(Small);
        var pages = new FeedPages(graph, pageSize: 20, ownLikes: 4);
        var random = new Random(3);

        for (var i = 0; i < 100; i++)
        {
            var page = pages.Next(random);
            Assert.Equal(20, page.Contents.Distinct().Count());
            Assert.True(graph.IsActive(page.User));
            Assert.Contains(page.Contents, c => graph.Liked(page.User, c) || graph.LikesOf(page.User).Count == 0);
        }
    }
}
