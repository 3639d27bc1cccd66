using System.Text.Json;
using Likes.Shared.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace Likes.Shared;

/// <summary>
/// What every Likes daemon has from its first line: configuration from <c>LIKES_*</c> variables, structured
/// JSON logs carrying the trace id, OpenTelemetry tracing (exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set), and <c>/metrics</c>, <c>/healthz/live</c> and <c>/healthz/ready</c>.
/// </summary>
public static class ServiceDefaults
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";
    public const string DependencyTag = "dependency";

    /// <summary>
    /// The System.Diagnostics.Metrics meters /metrics carries: the runtime, the PostgreSQL pool and Kestrel's
    /// connections. The others record per request or per message and repeat what Likes' own metrics count; turned
    /// into Prometheus series they cost the NATS client's about 4 µs of CPU per event in the persister, and ASP.NET
    /// Core's about 8 % of the edge's CPU.
    /// </summary>
    public static readonly IReadOnlySet<string> ExportedMeters = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Runtime", "Npgsql", "Microsoft.AspNetCore.Server.Kestrel",
    };

    /// <summary>Tags of a store's check: always published as <c>dependency_up</c>, part of readiness only when it gates it.</summary>
    public static string[] DependencyTags(bool gatesReadiness) => gatesReadiness ? [ReadyTag, DependencyTag] : [DependencyTag];

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string daemon)
    {
        builder.Configuration.AddLikesEnvironment();
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = i => ExportedMeters.Contains(i.Meter.Name));

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        builder.Services.AddHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LiveTag]);
        builder.Services.AddSingleton<IHealthCheckPublisher>(new DependencyMetrics());
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(2);
            o.Period = TimeSpan.FromSeconds(5);
            o.Predicate = r => r.Tags.Contains(ReadyTag) || r.Tags.Contains(DependencyTag);
        });

        // Standard variables: OTEL_TRACES_EXPORTER=otlp|console (comma-separated), or just an OTLP endpoint. With
        // neither, nothing would read a span, so none is made: every request and event would pay for it.
        var exporters = builder.Configuration["OTEL_TRACES_EXPORTER"] ?? string.Empty;
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || exporters.Contains("otlp", StringComparison.OrdinalIgnoreCase);
        var console = exporters.Contains("console", StringComparison.OrdinalIgnoreCase);
        if (!otlp && !console)
        {
            // An exemplar names a trace; with none kept it would point nowhere, and taking one costs every observation.
            Metrics.DefaultFactory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None };
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: $"likes-{daemon}"))
            .WithTracing(t =>
            {
                t.AddSource(LikesTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/healthz") && !ctx.Request.Path.StartsWithSegments("/metrics"))
                    .AddSource("Npgsql")
                    // Redis commands are spans too: its profiler keeps an object per command, so only while traces leave the process.
                    .AddRedisInstrumentation();
                if (otlp)
                {
                    t.AddOtlpExporter();
                }

                if (console)
                {
                    t.AddConsoleExporter();
                }
            });
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        // Read-only, unauthenticated, for the cluster: GET (and HEAD) only.
        var readOnly = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]);
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag), ResponseWriter = WriteHealthAsync }).WithMetadata(readOnly);
        // Every dependency is shown, so one curl diagnoses a pod; only the checks tagged ready decide the status.
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag) || r.Tags.Contains(DependencyTag),
            ResponseWriter = WriteReadinessAsync,
        }).WithMetadata(readOnly);
        app.MapMetrics("/metrics").WithMetadata(readOnly);
        return app;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        var ready = report.Entries.Values.Where(e => e.Tags.Contains(ReadyTag)).All(e => e.Status == HealthStatus.Healthy);
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return WriteHealthAsync(context, report, ready ? HealthStatus.Healthy : HealthStatus.Unhealthy);
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report) => WriteHealthAsync(context, report, report.Status);

    private static Task WriteHealthAsync(HttpContext context, HealthReport report, HealthStatus status)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                gatesReadiness = e.Value.Tags.Contains(ReadyTag),
            }),
        });
    }
}
