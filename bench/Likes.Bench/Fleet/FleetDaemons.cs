using System.Globalization;

namespace Likes.Bench.Fleet;

/// <summary>
/// The running fleet as `./likes up` starts it: the workers' metrics endpoints (docs: ports 9101 and 9102)
/// and the pid files under .local/run, for scraping and for CPU accounting.
/// </summary>
public sealed class FleetDaemons : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _runDirectory;

    private FleetDaemons(Uri aggregator, Uri persister, string runDirectory)
    {
        Aggregator = aggregator;
        Persister = persister;
        _runDirectory = runDirectory;
    }

    public Uri Aggregator { get; }

    public Uri Persister { get; }

    public static FleetDaemons FromEnvironment()
    {
        var root = Environment.GetEnvironmentVariable("LIKES_ROOT") ?? Directory.GetCurrentDirectory();
        return new FleetDaemons(
            new Uri(Environment.GetEnvironmentVariable("LIKES_AGGREGATOR_URL") ?? "http://127.0.0.1:9101"),
            new Uri(Environment.GetEnvironmentVariable("LIKES_PERSISTER_URL") ?? "http://127.0.0.1:9102"),
            Path.Combine(root, Environment.GetEnvironmentVariable("LIKES_LOCAL_DIR") ?? ".local", "run"));
    }

    public async Task<MetricsSnapshot> ScrapeAsync(Uri daemon, CancellationToken cancellationToken)
        => MetricsSnapshot.Parse(await _http.GetStringAsync(new Uri(daemon, "/metrics"), cancellationToken));

    /// <summary>The pid `./likes up` recorded for a process (edge, persister, redis, nats…), when it is alive.</summary>
    public int? Pid(string name)
    {
        var file = Path.Combine(_runDirectory, name + ".pid");
        return File.Exists(file)
            && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && Directory.Exists($"/proc/{pid}")
            ? pid
            : null;
    }

    /// <summary>Every process with a pid file, alive now (in the cluster each node and replica: nats-1, redis-7001, edge-2…).</summary>
    public IReadOnlyList<(string Name, int? Pid)> Processes()
        => [.. Directory.EnumerateFiles(_runDirectory, "*.pid").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)
            .Select(name => (name, Pid(name))).Where(p => p.Item2 is not null)];

    public void Dispose() => _http.Dispose();
}
