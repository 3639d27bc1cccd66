using Likes.Shared.Configuration;
using Likes.Shared.Ownership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Likes.Shared.Consuming;

public static class ConsumerRegistration
{
    /// <summary>
    /// Makes this daemon a consumer of the event stream named <paramref name="worker"/>, applying batches
    /// with <typeparamref name="THandler"/>, which records how far it applied where <typeparamref name="TPositions"/>
    /// reads it back; readiness includes "the loop made progress recently".
    /// </summary>
    public static IHostApplicationBuilder AddEventConsumer<THandler, TPositions>(this IHostApplicationBuilder builder, string worker)
        where THandler : class, IEventBatchHandler
        where TPositions : class, IAppliedPositions
    {
        var services = builder.Services;
        services.AddSectionOptions<ConsumerOptions>();
        services.AddSectionOptions<StreamOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new WorkerIdentity(worker));
        services.AddSingleton<ConsumerMetrics>();
        services.AddSingleton<ConsumerProgress>();
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<IEventBatchHandler, THandler>();
        services.TryAddSingleton<TPositions>();
        services.AddSingleton<IAppliedPositions>(sp => sp.GetRequiredService<TPositions>());
        services.AddSectionOptions<LeaseOptions>();
        services.AddSingleton<LeaseMetrics>();
        services.AddSingleton<PartitionLeases>();
        // Started before the loops and stopped after them (hosts stop services in reverse): leases are released only
        // once no loop applies anything.
        services.AddHostedService(sp => sp.GetRequiredService<PartitionLeases>());
        services.AddHostedService<ConsumerHost>();
        services.AddHealthChecks().AddCheck<ConsumerProgress>("consumer", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }
}
