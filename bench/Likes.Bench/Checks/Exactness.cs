using Dapper;
using Likes.Shared;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Bench.Checks;

/// <summary>
/// Compares what the clients were told (the last accepted action per pair) with PostgreSQL's rows, its
/// count table and Redis's counters, for a range of content ids a run used alone. Pairs whose outcome the
/// clients cannot know (a later write failed or timed out: it may or may not have landed) are left out.
/// </summary>
public sealed class Exactness(NpgsqlDataSource postgres, IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>How many lost pairs a report names, to look up in the logs.</summary>
    private const int LostSampleSize = 10;

    public async Task<long> RowsAsync(long fromContent, long toContent)
    {
        await using var c = await postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM likes WHERE content_id BETWEEN @fromContent AND @toContent", new { fromContent, toContent });
    }

    public async Task<ExactnessReport> CheckAsync(
        IReadOnlyDictionary<(long User, long Content), bool> accepted,
        long fromContent,
        long toContent,
        IReadOnlySet<(long User, long Content)>? undetermined = null)
    {
        undetermined ??= new HashSet<(long, long)>();
        await using var c = await postgres.OpenConnectionAsync();
        var rows = (await c.QueryAsync<(long, long)>(
            "SELECT user_id, content_id FROM likes WHERE content_id BETWEEN @fromContent AND @toContent", new { fromContent, toContent })).ToHashSet();
        var expected = accepted.Where(kv => kv.Value && !undetermined.Contains(kv.Key)).Select(kv => kv.Key).ToHashSet();
        var lostPairs = expected.Where(p => !rows.Contains(p)).ToList();
        var extra = rows.Count(p => !expected.Contains(p) && !undetermined.Contains(p));

        var stored = (await c.QueryAsync<(long Content, long Count)>(
            "SELECT content_id, like_count FROM content_like_counts WHERE content_id BETWEEN @fromContent AND @toContent", new { fromContent, toContent }))
            .ToDictionary(r => r.Content, r => r.Count);
        var counted = rows.GroupBy(p => p.Item2).ToDictionary(g => g.Key, g => (long)g.Count());
        var contents = stored.Keys.Union(counted.Keys).ToList();

        var db = redis.GetDatabase();
        var cached = await CounterStore.Read(db, keys, contents);
        int drift = 0, missing = 0;
        for (var i = 0; i < contents.Count; i++)
        {
            var id = contents[i];
            var truth = counted.GetValueOrDefault(id);
            var present = CounterValue.TryParse(cached[i], out var v);
            if (stored.GetValueOrDefault(id) != truth || (present && v.Count != truth))
            {
                drift++;
            }
            else if (!present && truth != 0)
            {
                missing++;
            }
        }

        return new ExactnessReport(expected.Count, rows.Count, lostPairs.Count, extra, contents.Count, drift, missing)
        {
            LostSample = [.. lostPairs.Take(LostSampleSize)],
        };
    }
}

/// <param name="Lost">Likes answered 202 (and not unliked later) that are not in PostgreSQL.</param>
/// <param name="Extra">Rows in PostgreSQL whose last accepted action was an unlike.</param>
/// <param name="DriftContents">Contents whose stored count, or Redis counter, disagrees with COUNT(*).</param>
/// <param name="MissingCounters">Liked contents without a Redis counter: not wrong (reads go through to PostgreSQL), but not warm.</param>
public sealed record ExactnessReport(int ExpectedLikes, int Rows, int Lost, int Extra, int Contents, int DriftContents, int MissingCounters)
{
    /// <summary>Some of the lost (user, content) pairs, to look up in the logs.</summary>
    public IReadOnlyList<(long User, long Content)> LostSample { get; init; } = [];

    /// <summary>Without faults every liked content also has its counter in Redis.</summary>
    public bool Exact => Lost == 0 && Extra == 0 && DriftContents == 0 && MissingCounters == 0;
}
