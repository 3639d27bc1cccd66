using Likes.Shared;

namespace Likes.Reheater;

public static class ReheaterRegistration
{
    /// <summary>The reheater: cold relations and counters from PostgreSQL back into Redis.</summary>
    public static IHostApplicationBuilder AddReheater(this IHostApplicationBuilder builder)
    {
        builder.AddLikesPostgres("reheater");
        builder.AddLikesRedis("reheater");
        return builder;
    }
}
