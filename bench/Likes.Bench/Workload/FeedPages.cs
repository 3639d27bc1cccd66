using System.Globalization;

namespace Likes.Bench.Workload;

/// <summary>
/// Feed pages of an active user: a few contents the user liked and the rest drawn by popularity, as a
/// feed would show them, all distinct. The graph knows the true answer for every id.
/// </summary>
public sealed class FeedPages(LikeGraph graph, int pageSize, int ownLikes)
{
    private readonly int[] _active = [.. graph.ActiveUsers];

    /// <summary>A page of a random active user: whose timeline the system keeps in Redis.</summary>
    public FeedPage Next(Random random) => For(_active[random.Next(_active.Length)], random);

    public FeedPage For(int user, Random random)
    {
        var liked = graph.LikesOf(user);
        var contents = new HashSet<int>(pageSize);
        for (var i = 0; i < ownLikes && liked.Count > 0; i++)
        {
            contents.Add(liked[random.Next(liked.Count)]);
        }

        while (contents.Count < pageSize)
        {
            contents.Add(graph.Popularity.Next(random) - 1);
        }

        return new FeedPage(user, [.. contents]);
    }
}

/// <summary>One page: the user (graph index) and the contents (graph indices) asked about.</summary>
public sealed record FeedPage(int User, int[] Contents)
{
    public long UserId => LikeGraph.UserId(User);

    public long[] ContentIds => [.. Contents.Select(LikeGraph.ContentId)];

    public string Path => "/v1/feed-state?ids=" + string.Join(',', ContentIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
}
