using Likes.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// One client per process for each store, registered as singletons, each with a readiness check.
/// None of them blocks start-up when its server is down: they connect (and reconnect) in the background.
/// A store the daemon cannot work without gates its readiness; one it can answer without (the edge degrades
/// instead) is only reported, as <c>likes_dependency_up</c>.
/// </summary>
public static class StoreRegistration
{
    public static IHostApplicationBuilder AddLikesNats(this IHostApplicationBuilder builder, string daemon, bool gatesReadiness = true)
    {
        builder.Services.AddSectionOptions<NatsOptions>();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetOptions<NatsOptions>();
            return new NatsConnection(new NatsOpts
            {
                Url = o.Url,
                Name = $"likes-{daemon}",
                InboxPrefix = NatsOptions.InboxPrefixOf(daemon),
                RequestTimeout = o.RequestTimeout,
                ConnectTimeout = o.RequestTimeout,
                AuthOpts = o.User is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { Username = o.User, Password = o.Password },
                RetryOnInitialConnect = true,
            });
        });
        builder.Services.AddSingleton<INatsConnection>(sp => sp.GetRequiredService<NatsConnection>());
        builder.Services.AddSingleton<INatsJSContext>(sp => new NatsJSContext(sp.GetRequiredService<NatsConnection>()));
        builder.Services.AddHealthChecks().AddCheck<NatsHealthCheck>("nats", tags: ServiceDefaults.DependencyTags(gatesReadiness));
        return builder;
    }

    public static IHostApplicationBuilder AddLikesRedis(this IHostApplicationBuilder builder, string daemon, bool gatesReadiness = true)
    {
        builder.Services.AddSectionOptions<RedisOptions>();
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var o = ConfigurationOptions.Parse(sp.GetOptions<RedisOptions>().Configuration);
            o.AbortOnConnectFail = false;
            o.ClientName ??= $"likes-{daemon}";
            return ConnectionMultiplexer.Connect(o);
        });
        builder.Services.AddSingleton(sp => new RedisKeys(sp.GetOptions<RedisOptions>().KeyPrefix));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ServiceDefaults.DependencyTags(gatesReadiness));
        return builder;
    }

    public static IHostApplicationBuilder AddLikesPostgres(this IHostApplicationBuilder builder, string daemon, bool gatesReadiness = true)
    {
        builder.Services.AddSectionOptions<PostgresOptions>();
        builder.Services.AddSingleton(sp =>
        {
            var connection = new NpgsqlConnectionStringBuilder(sp.GetOptions<PostgresOptions>().ConnectionString)
            {
                ApplicationName = $"likes-{daemon}",
                // No session state is ever set, so the DISCARD ALL on every pool return is a wasted round trip.
                NoResetOnClose = true,
            };
            var source = new NpgsqlDataSourceBuilder(connection.ConnectionString);
            source.ConfigureTracing(t => t.EnableFirstResponseEvent(false));
            return source.Build();
        });
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ServiceDefaults.DependencyTags(gatesReadiness));
        return builder;
    }
}
