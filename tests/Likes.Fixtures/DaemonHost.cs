using Likes.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Likes.Fixtures;

/// <summary>
/// A daemon booted in-process the way its Program.cs boots it (service defaults + its <c>AddXxx</c>),
/// configured to use a fixture's slice of the real servers, on a free loopback port.
/// </summary>
public sealed class DaemonHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DaemonHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<DaemonHost> StartAsync(
        string daemon,
        Action<IHostApplicationBuilder> add,
        IDictionary<string, string?> configuration)
    {
        // Configuration comes from the caller, so no file is watched: the content root is the working directory (the
        // repository), and watching it means an inotify watch per folder and an event per write of the local servers.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.AddServiceDefaults(daemon);
        builder.Configuration.AddInMemoryCollection(configuration);
        // Daemons under test log nothing unless asked (LIKES_TEST_LOGS=1): expected failures are noise in a test run.
        if (Environment.GetEnvironmentVariable("LIKES_TEST_LOGS") != "1")
        {
            builder.Logging.ClearProviders();
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        add(builder);
        var app = builder.Build();
        app.MapServiceDefaults();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var host = new DaemonHost(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
