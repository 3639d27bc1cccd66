using Likes.Bench.Checks;
using Likes.Bench.Fleet;
using Likes.Bench.Workload;
using Likes.Shared;
using StackExchange.Redis;

namespace Likes.Bench.Scenarios;

/// <summary>
/// The hot burst against the fleet, with the persister's own metrics around it: counter writes
/// (one per touched content per transaction) and transactions, so "likes per counter write" is what the
/// daemon reports, not what the bench infers. Runs on an idle fleet (after the ingest caught up).
/// </summary>
public sealed class HotBurstScenario(BenchEnvironment env, FleetDaemons fleet, BurstSizes sizes)
{
    public const string CounterWrites = "likes_persister_counter_writes_total";
    public const string CountedChanges = "likes_persister_counted_changes_total";
    public const string Transactions = "likes_persister_transaction_seconds_count";

    private static readonly TimeSpan CatchUpWithin = TimeSpan.FromMinutes(5);

    public async Task<HotBurstFigures> RunAsync(LikeTraffic traffic, IConnectionMultiplexer redis, CancellationToken ct)
    {
        await CatchUp.WaitAsync(env, CatchUpWithin, ct);
        var before = await fleet.ScrapeAsync(fleet.Persister, ct);
        var burst = await new HotBurst(traffic, redis, new RedisKeys(env.KeyPrefix))
            .RunAsync(traffic.LastContent + 1, traffic.NextFreeUser, sizes.Likes, sizes.Clients, ct);
        await CatchUp.WaitAsync(env, CatchUpWithin, ct);
        var after = await fleet.ScrapeAsync(fleet.Persister, ct);
        return new HotBurstFigures(burst, after.Since(before, CounterWrites), after.Since(before, CountedChanges), after.Since(before, Transactions));
    }
}

public sealed record BurstSizes(int Likes, int Clients);

/// <param name="CounterWrites">The persister's counter writes to Redis during the burst (its metric).</param>
/// <param name="CountedChanges">Likes and unlikes that moved a count meanwhile (its metric).</param>
/// <param name="Transactions">Group transactions the persister committed meanwhile.</param>
public sealed record HotBurstFigures(BurstFigures Burst, double CounterWrites, double CountedChanges, double Transactions)
{
    public double LikesPerCounterWrite => CounterWrites > 0 ? Burst.Likes / CounterWrites : 0;
}
