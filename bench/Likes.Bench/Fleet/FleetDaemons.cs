using System.Globalization;

namespace Likes.Bench.Fleet;

/// <summary>
/// The running fleet as `./likes up` starts it: the workers' metrics endpoints (docs: ports 9101 and 9102; every
/// replica's in the cluster, <c>LIKES_AGGREGATOR_URLS</c> and <c>LIKES_PERSISTER_URLS</c>) and the pid files under
/// .local/run, for scraping and for CPU accounting.
/// </summary>
public sealed class FleetDaemons : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _runDirectory;

    private FleetDaemons(IReadOnlyList<Uri> aggregator, IReadOnlyList<Uri> persister, string runDirectory)
    {
        Aggregator = aggregator;
        Persister = persister;
        _runDirectory = runDirectory;
    }

    public IReadOnlyList<Uri> Aggregator { get; }

    public IReadOnlyList<Uri> Persister { get; }

    public static FleetDaemons FromEnvironment()
    {
        var root = Environment.GetEnvironmentVariable("LIKES_ROOT") ?? Directory.GetCurrentDirectory();
        return new FleetDaemons(
            Urls("LIKES_AGGREGATOR_URLS", "http://127.0.0.1:9101"),
            Urls("LIKES_PERSISTER_URLS", "http://127.0.0.1:9102"),
            Path.Combine(root, Environment.GetEnvironmentVariable("LIKES_LOCAL_DIR") ?? ".local", "run"));
    }

    public async Task<MetricsSnapshot> ScrapeAsync(Uri daemon, CancellationToken cancellationToken)
        => MetricsSnapshot.Parse(await _http.GetStringAsync(new Uri(daemon, "/metrics"), cancellationToken));

    /// <summary>Every replica's metrics, summed (each replica counts only what it did itself).</summary>
    public async Task<MetricsSnapshot> ScrapeAsync(IReadOnlyList<Uri> replicas, CancellationToken cancellationToken)
        => MetricsSnapshot.Sum(await Task.WhenAll(replicas.Select(r => ScrapeAsync(r, cancellationToken))));

    private static List<Uri> Urls(string variable, string single)
        => [.. (Environment.GetEnvironmentVariable(variable) ?? single).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))];

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
