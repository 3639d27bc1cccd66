using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Microsoft.Extensions.Logging.Console;

namespace Likes.Reconciler;

/// <summary>
/// <c>dotnet Likes.Reconciler.dll reconcile [--full]</c>: one run now, without the scheduler or HTTP, with the
/// same configuration as the daemon. Prints what it checked, found and repaired. Exit 0 when the run finished
/// and left no drift standing; 1 when it failed or could not repair something; 2 on bad usage.
/// </summary>
public static class ReconcileCommand
{
    public const string Name = "reconcile";

    public static async Task<int> RunAsync(string[] args)
    {
        var full = args.Contains("--full");
        if (args.Any(a => a is not "--full"))
        {
            await Console.Error.WriteLineAsync("usage: Likes.Reconciler reconcile [--full]");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });
        builder.Configuration.AddLikesEnvironment();
        // The report goes to stdout; other components' warnings and errors to stderr (a failed run is reported
        // below in one line, so the services' own log of it would only repeat it with a stack trace).
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter<ConsoleLoggerProvider>((category, level) =>
            level >= LogLevel.Warning && category?.StartsWith("Likes.Reconciler", StringComparison.Ordinal) != true);
        builder.AddReconciliation();

        using var host = builder.Build();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var report = full
                ? await host.Services.GetRequiredService<FullAudit>().RunAsync(cancel.Token)
                : await host.Services.GetRequiredService<RecentReconciliation>().RunAsync(cancel.Token);
            Console.Write(report.Format());
            return report.Unrepaired > 0 ? 1 : 0;
        }
        catch (Exception ex) when (StoreFailure.IsOutage(ex) || ex is OperationCanceledException or Npgsql.PostgresException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"reconcile: failed: {ex.Message}");
            return 1;
        }
    }
}
