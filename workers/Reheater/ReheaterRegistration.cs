using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;

namespace Likes.Reheater;

public static class ReheaterRegistration
{
    /// <summary>The reheater: rebuild requests from the reheat queue, PostgreSQL snapshots into Redis timelines and Bloom filters.</summary>
    public static IHostApplicationBuilder AddReheater(this IHostApplicationBuilder builder)
    {
        builder.AddLikesNats("reheater");
        builder.AddLikesPostgres("reheater");
        builder.AddLikesRedis("reheater");
        builder.Services.AddSectionOptions<ReheaterOptions>();
        builder.Services.AddSectionOptions<BloomOptions>();
        builder.Services.AddSectionOptions<StreamOptions>();
        builder.Services.AddSectionOptions<TimelineOptions>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConsumerProgress>();
        builder.Services.AddSingleton<TimelineStore>();
        builder.Services.AddSingleton<TimelineSource>();
        builder.Services.AddSingleton<FilterStore>();
        builder.Services.AddSingleton<AggregatorReach>();
        builder.Services.AddSingleton<TimelineRebuilder>();
        builder.Services.AddSingleton<ReheaterMetrics>();
        builder.Services.AddHostedService<ReheatConsumer>();
        builder.Services.AddHealthChecks().AddCheck<ConsumerProgress>("consumer", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }
}
