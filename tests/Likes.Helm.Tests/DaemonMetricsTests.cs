using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Likes.Fixtures;
using Xunit;

namespace Likes.Helm.Tests;

/// <summary>The five daemons as real processes on a private slice of the real servers, with one like through them.</summary>
public sealed class FleetFixture : StackFixture
{
    public static readonly IReadOnlyDictionary<string, string> Assemblies = new Dictionary<string, string>
    {
        ["edge"] = "Likes.Edge",
        ["aggregator"] = "Likes.Aggregator",
        ["persister"] = "Likes.Persister",
        ["reheater"] = "Likes.Reheater",
        ["reconciler"] = "Likes.Reconciler",
    };

    private readonly List<DaemonProcess> _processes = [];

    public Dictionary<string, Uri> BaseAddresses { get; } = [];

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var (daemon, assembly) in Assemblies)
        {
            var port = DaemonProcess.FreePort();
            _processes.Add(DaemonProcess.Start(assembly, Configuration(), port));
            BaseAddresses[daemon] = new Uri($"http://127.0.0.1:{port}");
        }

        foreach (var (daemon, address) in BaseAddresses)
        {
            await Eventually.UntilAsync(async () => await ReadyAsync(address), TimeSpan.FromSeconds(60), $"{daemon} ready");
        }

        // One like through the whole path, so the labelled series have samples too.
        var user = Random.Shared.NextInt64(1, long.MaxValue);
        using var like = new HttpRequestMessage(HttpMethod.Put, new Uri(BaseAddresses["edge"], "/v1/likes/7"));
        like.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(user));
        (await Client.SendAsync(like)).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(
            async () => (await ScrapeAsync("persister")).Contains("likes_consumer_events_applied_total{worker=\"persister\",action=", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the like applied by the persister");
    }

    public Task<string> ScrapeAsync(string daemon) => Client.GetStringAsync(new Uri(BaseAddresses[daemon], "/metrics"));

    public override async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Client.Dispose();
        await base.DisposeAsync();
    }

    private async Task<bool> ReadyAsync(Uri address)
    {
        try
        {
            return (await Client.GetAsync(new Uri(address, "/healthz/ready"))).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

/// <summary>
/// Each daemon's own <c>/metrics</c> exposes every series listed for it in <see cref="ExposedMetrics"/>, with the
/// listed type and label names: the alerts and the dashboard are written against what really runs.
/// </summary>
public sealed partial class DaemonMetricsTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    public static TheoryData<string> Daemons => [.. FleetFixture.Assemblies.Keys];

    [Theory]
    [MemberData(nameof(Daemons))]
    public async Task Daemon_ExposesEveryMetricTheAlertsAndDashboardUse(string daemon)
    {
        var metrics = await fleet.ScrapeAsync(daemon);
        var listed = ExposedMetrics.All.Where(m => m.Source.Split(", ").Contains(daemon)).ToList();
        Assert.NotEmpty(listed);

        var missing = listed.Where(m => !metrics.Contains($"# TYPE {m.Name} {m.Type.ToString().ToLowerInvariant()}\n", StringComparison.Ordinal)).Select(m => m.Name).ToList();
        Assert.True(missing.Count == 0, $"{daemon} does not expose: {string.Join(", ", missing)}");

        foreach (var metric in listed)
        {
            foreach (Match sample in Sample().Matches(metrics).Where(s => IsSeriesOf(s.Groups["name"].Value, metric)))
            {
                var labels = LabelName().Matches(sample.Groups["labels"].Value).Select(l => l.Groups[1].Value).Where(l => l != "le").Order();
                Assert.Equal(metric.Labels.Order(), labels);
            }
        }
    }

    private static bool IsSeriesOf(string series, ExposedMetric metric) => series == metric.Name ||
        (metric.Type == MetricType.Histogram && (series == metric.Name + "_bucket" || series == metric.Name + "_sum" || series == metric.Name + "_count"));

    [GeneratedRegex(@"^(?<name>[a-z_:][a-z0-9_:]*)(\{(?<labels>[^}]*)\})? ", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-z_][a-z0-9_]*)=""")]
    private static partial Regex LabelName();
}
