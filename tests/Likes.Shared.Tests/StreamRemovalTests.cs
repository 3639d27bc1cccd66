using Likes.Admin;
using Likes.Fixtures;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Xunit;

namespace Likes.Shared.Tests;

/// <summary>
/// What the provisioner creates for a topology, it removes: a private topology (a benchmark's, a test's) leaves no
/// stream and no bucket behind, each of which holds a reservation of JetStream's storage. Real nats-server.
/// </summary>
public sealed class StreamRemovalTests : IAsyncLifetime
{
    private readonly NatsConnection _nats = new(new NatsOpts { Url = TestServers.Nats, Name = "likes-tests" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nats.DisposeAsync();

    [Fact]
    public async Task RemoveAsync_LeavesNoStreamOfTheTopology()
    {
        var (js, stream) = await ProvisionedAsync();
        Assert.NotEmpty(await NamesOfAsync(js, stream));

        await StreamProvisioner.RemoveAsync(js, stream, CancellationToken.None);

        Assert.Empty(await NamesOfAsync(js, stream));
    }

    [Fact]
    public async Task RemoveAsync_OfATopologyPartlyGone_RemovesTheRest()
    {
        var (js, stream) = await ProvisionedAsync();
        await js.DeleteStreamAsync(stream.Name);

        await StreamProvisioner.RemoveAsync(js, stream, CancellationToken.None);

        Assert.Empty(await NamesOfAsync(js, stream));
    }

    // A topology of its own, as a benchmark's or a test fixture's is provisioned.
    private async Task<(NatsJSContext Js, StreamOptions Stream)> ProvisionedAsync()
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..10];
        var stream = new StreamOptions { Name = id.ToUpperInvariant(), SubjectPrefix = id, Partitions = 2, MaxBytes = 64L << 20 };
        var js = new NatsJSContext(_nats);
        await StreamProvisioner.EnsureAsync(js, stream, new ConsumerOptions(), TextWriter.Null, CancellationToken.None);
        return (js, stream);
    }

    // Every stream whose name carries the topology's name: its own, and its buckets' (KV_<name>_…).
    private static async Task<List<string>> NamesOfAsync(NatsJSContext js, StreamOptions stream)
    {
        var names = new List<string>();
        await foreach (var name in js.ListStreamNamesAsync())
        {
            if (name.Contains(stream.Name, StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
