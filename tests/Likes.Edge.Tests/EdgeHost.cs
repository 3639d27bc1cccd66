extern alias edge;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Likes.Edge.Tests;

/// <summary>
/// The real edge (its Program, AddEdge and MapEdge) in memory, configured like a deployment would be.
/// <c>edge::</c> because Likes.Admin, referenced through the fixtures, has a public Program too.
/// </summary>
public sealed class EdgeHost(IReadOnlyDictionary<string, string?> configuration, string environment = "Development") : WebApplicationFactory<edge::Program>
{
    public static EdgeHost For(Fixtures.StackFixture stack, params (string Key, string? Value)[] overrides)
        => For(stack, "Development", overrides);

    public static EdgeHost For(Fixtures.StackFixture stack, string environment, params (string Key, string? Value)[] overrides)
    {
        var configuration = stack.Configuration();
        foreach (var (key, value) in overrides)
        {
            configuration[key] = value;
        }

        return new EdgeHost(configuration, environment);
    }

    /// <summary>Serves on a real Kestrel socket (its parser and limits) instead of the in-memory server. Returns the port.</summary>
    public int StartOnKestrel()
    {
        var port = Fixtures.DaemonProcess.FreePort();
        UseKestrel(port);
        StartServer();
        return port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(configuration));
    }
}
