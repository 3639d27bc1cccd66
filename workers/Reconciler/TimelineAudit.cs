using Likes.Shared;
using Likes.Shared.Bloom;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Reconciler;

/// <summary>
/// Samples users' timelines (and Bloom filters) and compares each with PostgreSQL: a complete timeline must hold every
/// like of the user, a truncated one every like newer than its oldest, and nothing PostgreSQL lacks; the filter must
/// contain every like the timeline does not hold. A difference may be lag (a like or unlike one store applied before
/// the other), so each one is read again after <see cref="ReconcilerOptions.Grace"/>: what still differs in the same
/// contents is drift, repaired by deleting the timeline and filter. Reads then answer from PostgreSQL and ask the
/// reheater for a rebuild (docs/architecture.md, "The cold path"), which is always safe.
/// </summary>
public sealed partial class TimelineAudit(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    NpgsqlDataSource postgres,
    IOptions<ReconcilerOptions> options,
    ILogger<TimelineAudit> logger)
{
    // SYSTEM sampling reads only the sampled pages: a few rows per user sampled, whatever the table's size.
    private const string SampleSql = """
        SELECT DISTINCT user_id FROM likes
        TABLESAMPLE SYSTEM (least(100, greatest(0.001, @n * 400.0 / greatest((SELECT reltuples FROM pg_class WHERE oid = 'likes'::regclass), 1))))
        LIMIT @n
        """;

    private const string LikesSql = "SELECT content_id, (extract(epoch FROM created_at) * 1000)::bigint FROM likes WHERE user_id = @u ORDER BY created_at DESC, content_id DESC LIMIT @limit";

    /// <summary>Up to <paramref name="count"/> users who like something, at random.</summary>
    public async Task<List<long>> SampleAsync(int count, CancellationToken cancellationToken)
    {
        var users = new List<long>(count);
        if (count == 0)
        {
            return users;
        }

        await using var command = postgres.CreateCommand(SampleSql);
        command.Parameters.Add(new NpgsqlParameter<int>("n", count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(reader.GetInt64(0));
        }

        return users;
    }

    /// <summary>Audits the users' timelines; drift found is repaired and counted in <paramref name="report"/>.</summary>
    public async Task CheckAsync(IReadOnlyList<long> users, ReconcileReport report, CancellationToken cancellationToken)
    {
        var suspects = await DisagreeingAsync(users, cancellationToken);
        report.AddTimelinesChecked(users.Count);
        if (suspects.Count == 0)
        {
            return;
        }

        await Task.Delay(options.Value.Grace, cancellationToken);
        var still = await DisagreeingAsync([.. suspects.Keys], cancellationToken);
        foreach (var (user, differs) in still)
        {
            if (!differs.Overlaps(suspects[user]))
            {
                continue;
            }

            await redis.GetDatabase().KeyDeleteAsync([keys.Timeline(user), keys.Bloom(user)]);
            TimelineDrift(logger, user, string.Join(',', differs.Take(10)));
            report.AddDrift(new Finding(user, Stores.Timeline, "timeline", $"{differs.Count} content(s) differ", "PostgreSQL", Repaired: true));
        }
    }

    /// <summary>The users whose timeline (or filter) disagrees with PostgreSQL, with the contents that differ.</summary>
    private async Task<Dictionary<long, HashSet<long>>> DisagreeingAsync(IReadOnlyList<long> users, CancellationToken cancellationToken)
    {
        var differing = new Dictionary<long, HashSet<long>>();
        var db = redis.GetDatabase();
        foreach (var user in users)
        {
            // Redis first, PostgreSQL after: a write landing between shows as lag, and lag is read again.
            var entries = await db.SortedSetRangeByRankWithScoresAsync(keys.Timeline(user));
            if (entries.Length == 0 || !TimelineSentinel.TryRead(entries[0], out var sentinel) || sentinel.State is not (TimelineState.Complete or TimelineState.Truncated))
            {
                continue;
            }

            byte[]? filter = await db.StringGetAsync(keys.Bloom(user));
            var held = entries.Skip(1).ToDictionary(e => long.Parse(e.Element.ToString(), System.Globalization.CultureInfo.InvariantCulture), e => (long)e.Score);
            var truth = await LikesAsync(user, options.Value.TimelineAuditLikes, cancellationToken);
            var oldestHeld = held.Count > 0 ? held.Values.Min() : long.MaxValue;
            var liked = truth.Select(t => t.ContentId).ToHashSet();
            var differs = held.Keys.Where(c => !liked.Contains(c)).ToHashSet();
            foreach (var (contentId, likedAtMs) in truth)
            {
                var mustHold = sentinel.State == TimelineState.Complete || likedAtMs > oldestHeld;
                if ((mustHold && !held.ContainsKey(contentId)) || (!held.ContainsKey(contentId) && filter is not null && !InFilter(filter, contentId)))
                {
                    differs.Add(contentId);
                }
            }

            if (differs.Count > 0)
            {
                differing[user] = differs;
            }
        }

        return differing;
    }

    // A filter whose header or bits cannot be read is not judged here: the edge does not trust it either.
    private static bool InFilter(byte[] filter, long contentId)
        => !BloomShape.TryRead(filter, out var shape, out _) || filter.Length < shape.Bytes || BloomBitmap.MightContain(filter, shape, contentId);

    private async Task<List<(long ContentId, long LikedAtMs)>> LikesAsync(long user, int limit, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(LikesSql);
        command.Parameters.Add(new NpgsqlParameter<long>("u", user));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var likes = new List<(long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            likes.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return likes;
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning,
        Message = "Timeline of user {UserId} disagreed with PostgreSQL past the grace period (contents {Contents}); deleted it: reads answer from PostgreSQL until the reheater rebuilds it")]
    private static partial void TimelineDrift(ILogger logger, long userId, string contents);
}
