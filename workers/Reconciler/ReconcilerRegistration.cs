using Likes.Shared;

namespace Likes.Reconciler;

public static class ReconcilerRegistration
{
    /// <summary>The reconciler: Redis counters against PostgreSQL's exact counts, repairing drift.</summary>
    public static IHostApplicationBuilder AddReconciler(this IHostApplicationBuilder builder)
    {
        builder.AddLikesPostgres("reconciler");
        builder.AddLikesRedis("reconciler");
        return builder;
    }
}
