extern alias aggregator;
extern alias persister;
extern alias reheater;

using Likes.Fixtures;
using static aggregator::Likes.Aggregator.AggregatorRegistration;
using static persister::Likes.Persister.PersisterRegistration;
using static reheater::Likes.Reheater.ReheaterRegistration;

namespace Likes.Edge.Tests;

/// <summary>
/// The edge with the aggregator (timelines) and the persister (PostgreSQL, then counters) running in-process
/// (and, when a subclass asks, the reheater) on the same private slice of the real servers: a like goes all the
/// way to what reads answer.
/// </summary>
public class LiveStackFixture : EdgeFixture
{
    private DaemonHost _aggregator = null!;
    private DaemonHost _persister = null!;
    private DaemonHost? _reheater;

    /// <summary>Whether the reheater runs too, rebuilding what cold reads ask for.</summary>
    protected virtual bool Reheats => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _aggregator = await DaemonHost.StartAsync("aggregator", b => b.AddAggregator(), Configuration());
        _persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), Configuration());
        _reheater = Reheats ? await DaemonHost.StartAsync("reheater", b => b.AddReheater(), Configuration()) : null;

        // One like all the way through, so the consumers are attached and every path is warm before a test times one.
        var token = Tokens.For(Users.Next());
        const long warmContent = 1;
        // On a loaded machine the very first publish (connecting to NATS) may miss the publish timeout: ask again.
        await Eventually.UntilAsync(async () => (await Client.LikeAsync("1", token)).StatusCode == System.Net.HttpStatusCode.Accepted, TimeSpan.FromSeconds(30), "warm-up like accepted");
        await Eventually.UntilAsync(async () => (await Client.FeedStateOkAsync(token, warmContent)).Items[0] is { Count: 1, Liked: true }, TimeSpan.FromSeconds(30), "warm-up like visible");
    }

    public override async Task DisposeAsync()
    {
        if (_reheater is not null)
        {
            await _reheater.DisposeAsync();
        }

        await _persister.DisposeAsync();
        await _aggregator.DisposeAsync();
        await base.DisposeAsync();
    }
}
