using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Reheating;

namespace Likes.Aggregator;

public static class AggregatorRegistration
{
    /// <summary>The aggregator: the event stream, applied to the users' Redis timelines.</summary>
    public static IHostApplicationBuilder AddAggregator(this IHostApplicationBuilder builder)
    {
        builder.AddLikesNats("aggregator");
        builder.AddLikesRedis("aggregator");
        builder.Services.AddSectionOptions<TimelineOptions>();
        builder.Services.AddSingleton<TimelineStore>();
        builder.Services.AddSingleton<TimelinePositions>();
        builder.Services.AddSingleton<ReheatRequests>();
        builder.Services.AddSingleton<AggregatorMetrics>();
        builder.AddEventConsumer<TimelineBatchHandler, TimelinePositions>(TimelinePositions.Worker);
        return builder;
    }
}
