using Likes.Fixtures;
using Likes.Shared.Consuming;
using Likes.Shared.Ownership;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NATS.Client.KeyValueStore;
using Xunit;

namespace Likes.Shared.Tests;

/// <summary>Replicas of one worker sharing the partitions through the lease bucket of a real NATS server.</summary>
public sealed class PartitionLeasesTests(StackFixture stack) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private static readonly LeaseOptions Fast = new() { Ttl = TimeSpan.FromSeconds(2), Renew = TimeSpan.FromMilliseconds(200) };
    private readonly List<PartitionLeases> _replicas = [];
    private string _worker = "";

    public Task InitializeAsync()
    {
        // A worker name of its own per test: membership and leases of one test never meet another's.
        _worker = "w" + Guid.NewGuid().ToString("N")[..8];
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.StopAsync(CancellationToken.None);
            replica.Dispose();
        }
    }

    [Fact]
    public async Task TwoReplicas_SplitThePartitions_AndOneThatStops_HandsItsShareOverAtOnce()
    {
        var a = await StartAsync();
        var b = await StartAsync();

        await Eventually.UntilAsync(() => Task.FromResult(Held(a).Count + Held(b).Count == stack.Stream.Partitions && Held(a).Count > 0 && Held(b).Count > 0),
            what: "the partitions split between two replicas");
        Assert.Empty(Held(a).Intersect(Held(b)));

        await a.StopAsync(CancellationToken.None);
        _replicas.Remove(a);
        var handedOver = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.UntilAsync(() => Task.FromResult(Held(b).Count == stack.Stream.Partitions), what: "the remaining replica holding every partition");
        Assert.True(handedOver.Elapsed < Fast.Ttl, $"took {handedOver.Elapsed.TotalMilliseconds:F0} ms: a released lease is not waited out");
    }

    [Fact]
    public async Task ALeaseOfAReplicaThatStoppedRenewing_IsClaimedOnlyOnceItExpired()
    {
        // A replica that died (or is paused) holding partition 0: its lease stays until its expiry.
        var bucket = await new NatsKVContext(stack.JetStream).GetStoreAsync(stack.Stream.LeaseBucket);
        var expires = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3);
        await bucket.PutAsync($"{_worker}.p0", new LeaseRecord("gone", expires.ToUnixTimeMilliseconds()).ToBytes());

        var live = await StartAsync();

        await Eventually.UntilAsync(() => Task.FromResult(Held(live).Count == stack.Stream.Partitions - 1), what: "every free partition claimed");
        Assert.False(live.Tenure(0).Holding);
        await Eventually.UntilAsync(() => Task.FromResult(live.Tenure(0).Holding), TimeSpan.FromSeconds(10), "partition 0 claimed after the expiry");
        Assert.True(DateTimeOffset.UtcNow >= expires, "claimed before the dead replica's lease expired");
    }

    [Fact]
    public async Task ALeaseTakenBehindAHoldersBack_StopsItsLoopAndIsNoLongerValid()
    {
        var replica = await StartAsync();
        await Eventually.UntilAsync(() => Task.FromResult(replica.Tenure(0).Valid), what: "partition 0 held");
        var ending = await replica.Tenure(0).StartAsync(CancellationToken.None);

        // Another writer took the key (what a replica does once a paused holder's lease expired).
        var bucket = await new NatsKVContext(stack.JetStream).GetStoreAsync(stack.Stream.LeaseBucket);
        await bucket.PutAsync($"{_worker}.p0", new LeaseRecord("successor", DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()).ToBytes());

        await Eventually.UntilAsync(() => Task.FromResult(ending.IsCancellationRequested), what: "the loop told to stop");
        Assert.False(replica.Tenure(0).Valid);
    }

    private async Task<PartitionLeases> StartAsync()
    {
        var replica = new PartitionLeases(stack.JetStream, Options.Create(stack.Stream), Options.Create(Fast), new WorkerIdentity(_worker), TimeProvider.System,
            new LeaseMetrics(new WorkerIdentity(_worker)), NullLogger<PartitionLeases>.Instance);
        _replicas.Add(replica);
        await replica.StartAsync(CancellationToken.None);
        return replica;
    }

    private static HashSet<int> Held(PartitionLeases replica) => replica.Tenures.Where(t => t.Holding).Select(t => t.Partition).ToHashSet();
}
