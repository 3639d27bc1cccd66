using Likes.Fixtures;
using Likes.Shared.Configuration;

namespace Likes.Bench.Scenarios;

/// <summary>
/// An edge process of its own (the built Likes.Edge, as `./likes up` runs it) on a free port, with the caller's
/// read source and write path: on a private slice of the servers (whose settings go in as the LIKES_* variables too,
/// so a .env in the environment cannot point it at the fleet's data), or on the fleet's own stores (the LIKES_*
/// variables `./likes` gives this process).
/// </summary>
public sealed class PrivateEdge : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);
    private readonly DaemonProcess _process;

    private PrivateEdge(DaemonProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Pid;

    public static Task<PrivateEdge> StartOnFleetAsync(string jwtKey, string readSource) => StartAsync(Settings(jwtKey, readSource, "stream"));

    public static Task<PrivateEdge> StartAsync(StackFixture stack, string jwtKey, string readSource, string writePath = "stream")
    {
        var settings = Settings(jwtKey, readSource, writePath);
        foreach (var (key, value) in stack.Configuration())
        {
            settings[key] = value;
        }

        foreach (var (variable, key) in LikesEnvironment.Variables)
        {
            if (settings.TryGetValue(key, out var value))
            {
                settings[variable] = value;
            }
        }

        return StartAsync(settings);
    }

    private static Dictionary<string, string?> Settings(string jwtKey, string readSource, string writePath) => new()
    {
        ["Edge:ReadSource"] = readSource,
        ["Edge:WritePath"] = writePath,
        ["Edge:Jwt:Key"] = jwtKey,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task<PrivateEdge> StartAsync(Dictionary<string, string?> settings)
    {
        var port = DaemonProcess.FreePort();
        var edge = new PrivateEdge(DaemonProcess.Start("Likes.Edge", settings, port), new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await edge.ReadyAsync();
            return edge;
        }
        catch
        {
            await edge.DisposeAsync();
            throw;
        }
    }

    private async Task ReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, ReadyWithin, $"edge on {Address} ready");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
