using Likes.Edge.Account;
using Likes.Edge.Auth;
using Likes.Edge.Limits;
using Likes.Edge.OpenApi;
using Likes.Edge.Options;
using Likes.Edge.Problems;
using Likes.Edge.Reads;
using Likes.Edge.Writes;
using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Reheating;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using Prometheus;
using StackExchange.Redis;

namespace Likes.Edge;

public static class EdgeRegistration
{
    /// <summary>
    /// The edge: authenticated, validated, rate-limited writes published to the event stream; reads from
    /// Redis, with PostgreSQL for what Redis cannot answer.
    /// </summary>
    public static IHostApplicationBuilder AddEdge(this IHostApplicationBuilder builder)
    {
        // No store gates the edge's readiness: without NATS it answers writes 503 and still reads, without Redis or
        // PostgreSQL it reads from the other or degrades. Pulling every edge pod out of the Service would turn
        // one store's outage into a total one.
        builder.AddLikesNats("edge", gatesReadiness: false);
        builder.AddLikesRedis("edge", gatesReadiness: false);
        builder.AddLikesPostgres("edge", gatesReadiness: false);
        var services = builder.Services;
        services.AddSectionOptions<StreamOptions>();
        services.AddEdgeOptions();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();
        services.AddEdgeProblems();
        services.AddEdgeAuthentication();
        services.AddSingleton<WriteRateLimit>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, EdgeJsonContext.Default));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PublishMetrics>();
        services.AddSingleton(sp =>
        {
            var guard = new StreamSequenceGuard(sp.GetRequiredService<IOptions<EdgeOptions>>().Value.SequenceGuard);
            sp.GetRequiredService<INatsConnection>().ConnectionDisconnected += (_, _) =>
            {
                guard.Disconnected();
                return ValueTask.CompletedTask;
            };
            return guard;
        });
        services.AddSingleton<StreamEpochWatch>();
        services.AddSingleton<IdempotencyKeys>();
        services.AddSingleton<LikePublisher>();
        services.AddSingleton<DeletedContents>();
        services.AddSingleton<SyncPostgresWrites>();
        services.AddSingleton<DiscardedWrites>();
        services.AddSingleton<ILikeWrites>(sp => sp.GetRequiredService<IOptions<EdgeOptions>>().Value.WritePath switch
        {
            WritePath.Postgres => sp.GetRequiredService<SyncPostgresWrites>(),
            WritePath.Discard => sp.GetRequiredService<DiscardedWrites>(),
            _ => sp.GetRequiredService<LikePublisher>(),
        });
        services.AddReads();
        services.AddEdgeOpenApi();
        return builder;
    }

    /// <summary>The pipeline (order matters: metrics see the final status, the rate limit runs after authentication) and the v1 API.</summary>
    public static WebApplication MapEdge(this WebApplication app)
    {
        // Resolved before the server listens: a bad setting (no LIKES_JWT_KEY) stops the process here, naming it.
        var edge = app.Services.GetOptions<EdgeOptions>();
        DevelopmentJwtKey.WarnIfUsed(app, edge);

        // Redis connects here, before the server listens (waiting at most its connectTimeout, never failing):
        // created lazily, the first reads would find it "not connected" and all go to PostgreSQL.
        app.Services.GetRequiredService<IConnectionMultiplexer>();

        // Every series exists from the first scrape (at zero), so rate() and the alerts see it before the first read.
        app.Services.GetRequiredService<PublishMetrics>();
        app.Services.GetRequiredService<ReadMetrics>();
        app.Services.GetRequiredService<ReheatRequests>();
        app.UseRouting();

        // Outside the problem handlers so the final status is recorded (500, 499 for an aborted request).
        // Labels come from the endpoint's route pattern, never the raw path, so ids cannot reach a label.
        app.UseHttpMetrics(o => o.CaptureMetricsUrl = false);
        app.UseEdgeProblems();
        app.UseMiddleware<RequestHeadLimit>();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapEdgeOpenApi();
        var v1 = app.MapGroup("/v1").RequireAuthorization().ProducesCommonProblems();
        v1.MapWrites();
        v1.MapReads();
        v1.MapAccount();
        return app;
    }
}
