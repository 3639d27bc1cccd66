using Likes.Bench.Load;

namespace Likes.Bench.Workload;

/// <summary>
/// A generated like graph: who likes what, and when. Each like takes a content by Zipf popularity (s = 1)
/// and a user uniformly; a pair is liked at most once, so the most popular contents saturate at the user
/// count. Like times are spread over the 30 days before generation. Deterministic for a seed. Ids are
/// index + 1 (the graph lives in a database of its own) unless <see cref="GraphIds"/> places it among others.
/// </summary>
public sealed class LikeGraph
{
    private static readonly long Spread = (long)TimeSpan.FromDays(30).TotalMilliseconds;

    private readonly int[][] _likesOf;
    private readonly long[][] _timesOf;
    private readonly int[] _countOf;

    private readonly GraphIds _ids;

    private LikeGraph(WorkloadShape shape, int[][] likesOf, long[][] timesOf, GraphIds ids)
    {
        Shape = shape;
        _ids = ids;
        _likesOf = likesOf;
        _timesOf = timesOf;
        _countOf = new int[shape.Contents];
        foreach (var likes in likesOf)
        {
            foreach (var content in likes)
            {
                _countOf[content]++;
            }
        }

        Popularity = new Zipf(shape.Contents);
    }

    public WorkloadShape Shape { get; }

    /// <summary>The popularity the likes were drawn with; a feed shows contents by it too.</summary>
    public Zipf Popularity { get; }

    public long Likes => Shape.Likes;

    public static long UserId(int user) => user + 1L;

    public static long ContentId(int content) => content + 1L;

    /// <summary>The stored id of user index <paramref name="user"/>.</summary>
    public long IdOfUser(int user) => _ids.User(user);

    /// <summary>The stored id of content index <paramref name="content"/>.</summary>
    public long IdOfContent(int content) => _ids.Content(content);

    public static LikeGraph Generate(WorkloadShape shape, int seed = 42, GraphIds? ids = null)
    {
        var random = new Random(seed);
        var zipf = new Zipf(shape.Contents);
        var pairs = new HashSet<long>(shape.Likes);
        var perUser = new List<int>[shape.Users];
        while (pairs.Count < shape.Likes)
        {
            var user = random.Next(shape.Users);
            var content = zipf.Next(random) - 1;
            if (pairs.Add((long)user * shape.Contents + content))
            {
                (perUser[user] ??= []).Add(content);
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var likesOf = new int[shape.Users][];
        var timesOf = new long[shape.Users][];
        for (var u = 0; u < shape.Users; u++)
        {
            likesOf[u] = perUser[u]?.Order().ToArray() ?? [];
            timesOf[u] = [.. likesOf[u].Select(_ => now - random.NextInt64(Spread))];
        }

        return new LikeGraph(shape, likesOf, timesOf, ids ?? new GraphIds(UserId, ContentId));
    }

    /// <summary>The content indices user <paramref name="user"/> likes, ascending.</summary>
    public IReadOnlyList<int> LikesOf(int user) => _likesOf[user];

    public bool Liked(int user, int content) => Array.BinarySearch(_likesOf[user], content) >= 0;

    public int CountOf(int content) => _countOf[content];

    public bool IsActive(int user) => user % Shape.ActiveEvery == 0;

    public IEnumerable<int> ActiveUsers => Enumerable.Range(0, Shape.Users).Where(IsActive);

    /// <summary>Every like as a row of <c>likes</c>: (user id, content id, like time in Unix ms).</summary>
    public IEnumerable<(long UserId, long ContentId, long AtMs)> Rows()
    {
        for (var u = 0; u < _likesOf.Length; u++)
        {
            for (var i = 0; i < _likesOf[u].Length; i++)
            {
                yield return (IdOfUser(u), IdOfContent(_likesOf[u][i]), _timesOf[u][i]);
            }
        }
    }

    /// <summary>Every content's likers (user ids): what the naive design keeps, one set per content.</summary>
    public IEnumerable<(long ContentId, long[] Likers)> LikersByContent()
    {
        var likers = new long[_countOf.Length][];
        var filled = new int[_countOf.Length];
        for (var c = 0; c < likers.Length; c++)
        {
            likers[c] = new long[_countOf[c]];
        }

        for (var u = 0; u < _likesOf.Length; u++)
        {
            foreach (var c in _likesOf[u])
            {
                likers[c][filled[c]++] = IdOfUser(u);
            }
        }

        return likers.Select((users, c) => (IdOfContent(c), users)).Where(x => x.users.Length > 0);
    }
}

/// <summary>Where a graph's users and contents sit among stored ids: index to id, each injective; contents ascending and contiguous.</summary>
public sealed record GraphIds(Func<int, long> User, Func<int, long> Content);
