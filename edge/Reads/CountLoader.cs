using Likes.Shared;

namespace Likes.Edge.Reads;

/// <summary>
/// Loads the counters Redis does not hold from PostgreSQL and writes them back. Single flight per content
/// id: concurrent reads missing the same ids share one load instead of each asking PostgreSQL. A load first
/// looks in Redis again: a read whose miss raced the previous load's write-back finds the counter there. So
/// a storm of reads of ids nobody liked costs PostgreSQL one query per id until the ghosts it cached expire,
/// and nothing is remembered in process: after Redis lost its keys, the next read asks PostgreSQL.
/// </summary>
public sealed class CountLoader(RedisReads redis, RedisKeys keys, FallbackBudget budget, PostgresReads postgres, CounterWriteBack writeBack)
{
    private readonly Dictionary<long, Flight> _flights = [];
    private readonly Lock _gate = new();

    /// <summary>Each id's counter: known (<see cref="CounterStore.Ghost"/> for a content nobody liked) or why not.</summary>
    public async Task<Dictionary<long, Fallback<CounterValue>>> LoadAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var covering = new Dictionary<long, Flight>(ids.Count);
        Flight? own = null;
        List<long>? mine = null;
        lock (_gate)
        {
            // Claimed all at once under the lock: a page's ids either join loads in flight or form one new load.
            foreach (var id in ids)
            {
                if (!_flights.TryGetValue(id, out var flight))
                {
                    own ??= new Flight();
                    (mine ??= []).Add(id);
                    flight = own;
                    _flights[id] = flight;
                }

                covering[id] = flight;
            }
        }

        if (own is not null)
        {
            _ = RunAsync(own, [.. mine!]);
        }

        var counts = new Dictionary<long, Fallback<CounterValue>>(ids.Count);
        foreach (var (id, flight) in covering)
        {
            var loaded = await flight.Completion.Task.WaitAsync(cancellationToken);
            counts[id] = loaded.Known ? Fallback.Of(loaded.Value![id]) : Fallback.Unknown<CounterValue>(loaded.Failure!.Value);
        }

        return counts;
    }

    private async Task RunAsync(Flight flight, long[] ids)
    {
        try
        {
            var counts = await InRedisAsync(ids);
            long[] missing = [.. ids.Where(id => !counts.ContainsKey(id))];
            if (missing.Length > 0)
            {
                // No request's cancellation: other reads wait on this answer.
                var loaded = await budget.RunAsync(ReadMetrics.Counts, ct => postgres.CountsAsync(missing, ct));
                if (!loaded.Known)
                {
                    Forget(flight, ids);
                    flight.Completion.SetResult(Fallback.Unknown<Dictionary<long, CounterValue>>(loaded.Failure!.Value));
                    return;
                }

                var found = loaded.Value!;
                foreach (var id in missing)
                {
                    counts[id] = found.TryGetValue(id, out var value) ? value : CounterStore.Ghost;
                }

                // Readers waiting on this load need not wait for the write-back; new misses still join it until it is done.
                flight.Completion.SetResult(Fallback.Of(counts));
                await writeBack.WriteAsync(found, [.. missing.Where(id => !found.ContainsKey(id))]);
            }
            else
            {
                flight.Completion.SetResult(Fallback.Of(counts));
            }

            Forget(flight, ids);
        }
        catch (Exception ex)
        {
            Forget(flight, ids);
            flight.Completion.TrySetException(ex);
        }
    }

    /// <summary>The counters Redis holds now (one round trip); none when Redis cannot say.</summary>
    private async Task<Dictionary<long, CounterValue>> InRedisAsync(long[] ids)
    {
        var counts = new Dictionary<long, CounterValue>(ids.Length);
        if (!redis.Usable())
        {
            return counts;
        }

        var batch = redis.Database.CreateBatch();
        var reads = CounterStore.Read(batch, keys, ids);
        batch.Execute();
        if (await redis.AwaitAsync(reads))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (CounterValue.TryParse(reads.Result[i], out var counter))
                {
                    counts[ids[i]] = counter;
                }
            }
        }

        return counts;
    }

    private void Forget(Flight flight, long[] ids)
    {
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_flights.TryGetValue(id, out var current) && current == flight)
                {
                    _flights.Remove(id);
                }
            }
        }
    }

    private sealed class Flight
    {
        public TaskCompletionSource<Fallback<Dictionary<long, CounterValue>>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
