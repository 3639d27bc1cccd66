using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Reheating;

namespace Likes.Persister;

public static class PersisterRegistration
{
    /// <summary>The persister: the event stream, written to PostgreSQL (the truth), then counters to Redis.</summary>
    public static IHostApplicationBuilder AddPersister(this IHostApplicationBuilder builder)
    {
        builder.AddLikesNats("persister");
        builder.AddLikesPostgres("persister");
        builder.AddLikesRedis("persister");
        builder.Services.AddSectionOptions<PersisterOptions>();
        builder.Services.AddSingleton<LikeWriter>();
        builder.Services.AddSingleton<CounterStore>();
        builder.Services.AddSingleton<ReheatRequests>();
        builder.Services.AddSingleton<ColdDuplicates>();
        builder.Services.AddSingleton<PersisterMetrics>();
        builder.Services.AddSingleton<PacedCounters>();
        builder.Services.AddSingleton<CommitGroup>();
        builder.Services.AddSingleton<CommittedCounters>();
        builder.Services.AddSingleton<UserWideWriter>();
        builder.Services.AddSingleton<ContentDeletionWriter>();
        // Hosted services stop in reverse: the loops, then the commit group, then the counts still waiting.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PacedCounters>());
        // Before the consumer loops, so the loops' last batches still commit.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CommitGroup>());
        builder.AddEventConsumer<PersistBatchHandler, StreamPositions>(StreamPositions.Worker);
        builder.Services.AddHostedService<ChangeRelay>();
        return builder;
    }
}
