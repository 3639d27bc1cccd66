using System.Net;
using Likes.Admin.Access;
using Likes.Fixtures;

namespace Likes.Security.Tests;

/// <summary>
/// The five daemons as real processes on the <see cref="AuthStack"/>, each with its own credentials in the
/// variables the scripts and the chart set (the persister reads its passwords from files, as from a mounted
/// Secret). Ready once every daemon's readiness check passes: its own logins work.
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Assemblies = new()
    {
        ["edge"] = "Likes.Edge",
        ["aggregator"] = "Likes.Aggregator",
        ["persister"] = "Likes.Persister",
        ["reheater"] = "Likes.Reheater",
        ["reconciler"] = "Likes.Reconciler",
    };

    /// <summary>N, small, so that a user with a few likes is a heavy one (a truncated timeline and a Bloom filter).</summary>
    public const int TimelineSize = 10;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Dictionary<Identity, (DaemonProcess Process, int Port)> _daemons = [];
    private readonly string _secrets;

    private Fleet(string secrets) => _secrets = secrets;

    /// <summary>The edge's signing key: a secret like the passwords.</summary>
    public string JwtKey { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public Uri Edge => Address(Identity.Edge);

    public IEnumerable<(Identity Who, DaemonProcess Process)> Daemons => _daemons.Select(d => (d.Key, d.Value.Process));

    /// <summary>Starts every daemon; <paramref name="password"/> gives each its passwords (the real ones, or wrong ones).</summary>
    public static async Task<Fleet> StartAsync(AuthStack stack, Func<Identity, Store, string> password)
    {
        var fleet = new Fleet(Directory.CreateTempSubdirectory("likes-secrets-").FullName);
        foreach (var who in Identity.Daemons)
        {
            var environment = stack.EnvironmentFor(who);
            environment["LIKES_TIMELINE_SIZE"] = TimelineSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var store in who.Stores)
            {
                var variable = store switch { Store.Nats => "LIKES_NATS_PASSWORD", Store.Redis => "LIKES_REDIS_PASSWORD", _ => "LIKES_POSTGRES_PASSWORD" };
                environment[variable] = password(who, store);
                if (who == Identity.Persister)
                {
                    environment[variable + "_FILE"] = fleet.SecretFile(variable, password(who, store));
                    environment.Remove(variable);
                }
            }

            if (who == Identity.Edge)
            {
                environment["ASPNETCORE_ENVIRONMENT"] = "Production";
                environment["LIKES_JWT_KEY"] = fleet.JwtKey;
            }

            var port = DaemonProcess.FreePort();
            fleet._daemons[who] = (DaemonProcess.Start(Assemblies[who.Name], environment, port), port);
        }

        return fleet;
    }

    /// <summary>Waits until every daemon answers its readiness check with 200.</summary>
    public Task AllReadyAsync() => AllAsync(async who => await ReadinessAsync(who) == HttpStatusCode.OK, "ready");

    /// <summary>Waits until every daemon reports each of its servers down (or has stopped because it could not start).</summary>
    public Task AllReportTheirServersDownAsync()
        => AllAsync(async who => _daemons[who].Process.HasExited || await ServersDownAsync(who), "reporting its servers down");

    private async Task AllAsync(Func<Identity, Task<bool>> done, string what)
    {
        foreach (var who in _daemons.Keys)
        {
            await Eventually.UntilAsync(() => done(who), TimeSpan.FromSeconds(60), $"{who} {what}; its output:\n{Output(who)}");
        }
    }

    public Uri Address(Identity who) => new($"http://127.0.0.1:{_daemons[who].Port}");

    public string Output(Identity who) => _daemons[who].Process.Output;

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in _daemons.Values)
        {
            await process.DisposeAsync();
        }

        Directory.Delete(_secrets, recursive: true);
    }

    /// <summary>Whether the readiness answer (which lists every dependency) has each of the daemon's servers failing.</summary>
    private async Task<bool> ServersDownAsync(Identity who)
    {
        try
        {
            using var ready = await Http.GetAsync(new Uri(Address(who), "/healthz/ready"));
            var checks = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
            return who.Stores.All(s => checks.TryGetProperty(s.ToString().ToLowerInvariant(), out var check) && check.GetProperty("status").GetString() != "Healthy");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Not answering yet, or not within the timeout (a daemon starting on a busy machine): asked again.
            return false;
        }
    }

    private async Task<HttpStatusCode?> ReadinessAsync(Identity who)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(Address(who), "/healthz/ready"));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Not answering yet, or not within the timeout (a daemon starting on a busy machine): asked again.
            return null;
        }
    }

    private string SecretFile(string name, string value)
    {
        var file = Path.Combine(_secrets, name);
        File.WriteAllText(file, value + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }
}
