using Likes.Fixtures;
using Likes.Persister;

namespace Likes.Aggregator.Tests;

/// <summary>Boots the daemons under test in-process against a fixture's slice of the real servers.</summary>
public static class Aggregators
{
    public static Task<DaemonHost> StartAsync(StackFixture fixture, IDictionary<string, string?>? overrides = null)
        => DaemonHost.StartAsync("aggregator", b => b.AddAggregator(), With(fixture.Configuration(), overrides));

    /// <summary>The persister owns the counters; booted only where a test checks them.</summary>
    public static Task<DaemonHost> StartPersisterAsync(StackFixture fixture)
        => DaemonHost.StartAsync("persister", b => b.AddPersister(), fixture.Configuration());

    /// <summary>The built aggregator as a real OS process, for SIGKILL tests.</summary>
    public static DaemonProcess StartProcess(StackFixture fixture, IDictionary<string, string?>? overrides = null)
        => DaemonProcess.Start("Likes.Aggregator", With(fixture.Configuration(), overrides), DaemonProcess.FreePort());

    /// <summary>Waits until every event published so far is applied and acked by the named worker.</summary>
    public static Task CaughtUpAsync(EventPublisher publisher, string worker = "aggregator", TimeSpan? timeout = null)
        => Eventually.UntilAsync(async () => await publisher.PendingAsync(worker), pending => pending == 0,
            timeout ?? TimeSpan.FromSeconds(60), $"{worker} caught up (pending 0)");

    private static Dictionary<string, string?> With(Dictionary<string, string?> configuration, IDictionary<string, string?>? overrides)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return configuration;
    }
}
