using Likes.Bench.Workload;

namespace Likes.Bench.Demo;

/// <summary>
/// The demo's users as production has them: <see cref="DemoOptions.UsersPerScroller"/> users for each scroller, each
/// with a like history on the demo's contents (the bench's generated graph: Zipf popularity, times over 30 days). The
/// scrollers are the active share; the others are inactive, with no timeline in Redis, as after their idle expiry.
/// Scrollers keep the traffic's user ids; the inactive take the ids after them.
/// </summary>
public static class DemoPopulation
{
    public static LikeGraph Generate(DemoOptions options, LikeTraffic traffic)
    {
        var every = options.UsersPerScroller;
        var users = options.Users * every;
        var shape = new WorkloadShape(users * options.LikesPerUser, users, options.Contents, 1.0 / every);
        var ids = new GraphIds(
            u => u % every == 0 ? traffic.FirstUser + (u / every) : traffic.NextFreeUser + u - (u / every) - 1,
            c => traffic.FirstContent + c);
        return LikeGraph.Generate(shape, ids: ids);
    }
}
