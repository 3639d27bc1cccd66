using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Reheating;

namespace Likes.Edge.Reads;

public static class ReadRegistration
{
    /// <summary>The read path: Redis first, PostgreSQL under a budget for what Redis cannot answer.</summary>
    public static IServiceCollection AddReads(this IServiceCollection services)
    {
        services.AddSectionOptions<TimelineOptions>();
        services.AddSingleton<TimelinePages>();
        services.AddSingleton<LikedStateProbe>();
        services.AddSingleton<CounterStore>();
        services.AddSingleton<ReheatRequests>();
        services.AddSingleton<ReadMetrics>();
        services.AddSingleton<RedisReads>();
        services.AddSingleton<FallbackBudget>();
        services.AddSingleton<PostgresReads>();
        services.AddSingleton<CounterWriteBack>();
        services.AddSingleton<CountLoader>();
        services.AddSingleton<MyLikesCursor>();
        services.AddSingleton<LikersCursor>();
        services.AddSingleton<FeedStateReader>();
        services.AddSingleton<CountReader>();
        services.AddSingleton<MyLikesReader>();
        return services;
    }
}
