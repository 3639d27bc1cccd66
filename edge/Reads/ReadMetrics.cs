using System.Collections.Concurrent;
using Prometheus;

namespace Likes.Edge.Reads;

/// <summary>The read path's own metrics; every label has a handful of fixed values.</summary>
public sealed class ReadMetrics
{
    public const string Redis = "redis";
    public const string Postgres = "postgres";
    public const string Budget = "budget";

    /// <summary>
    /// PostgreSQL query kinds: a page's missing counters, a page's unknown liked-state, a my-likes page, a whole page
    /// (Redis down or ReadSource postgres); and the reads only PostgreSQL answers: a likers page, a user's settings.
    /// </summary>
    public const string Counts = "counts";
    public const string Liked = "liked";
    public const string MyLikes = "my_likes";
    public const string Page = "page";
    public const string Likers = "likers";
    public const string Settings = "settings";

    /// <summary>Bloom filter answers.</summary>
    public const string BloomDefiniteNo = "definite_no";
    public const string BloomMaybe = "maybe";
    public const string BloomFalsePositive = "false_positive";

    private readonly Counter _degraded = Metrics.CreateCounter(
        "likes_edge_degraded_reads_total",
        "Reads that could not take their normal path, by reason: redis (Redis unavailable, answered from PostgreSQL), budget and postgres (a fact answered null, \"degraded\": true).",
        "reason");

    private readonly Counter _fallbackQueries = Metrics.CreateCounter(
        "likes_edge_fallback_queries_total", "PostgreSQL queries the read path ran, by kind: counts, liked, my_likes, page.", "kind");

    private readonly Histogram _fallbackSeconds = Metrics.CreateHistogram(
        "likes_edge_fallback_query_seconds", "Time of a PostgreSQL fallback query, from taking a slot to the answer or the failure, by kind.",
        new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.0002, 2, 16) });

    private readonly Counter _ghostHits = Metrics.CreateCounter(
        "likes_edge_ghost_cache_hits_total", "Counts answered 0 from a cached ghost (\"0:0\": a content nobody liked) instead of PostgreSQL.");

    private readonly Counter _bloom = Metrics.CreateCounter(
        "likes_edge_bloom_total",
        "Bloom filter answers for ids absent from a heavy user's timeline: definite_no (answered not liked from Redis), maybe (asked PostgreSQL), false_positive (a maybe PostgreSQL said no to).",
        "answer");

    private readonly Counter _facts = Metrics.CreateCounter(
        "likes_edge_read_facts_total", "Facts answered (a count, a liked-state, a my-likes item), by the store that knew them: redis or postgres.", "source");

    // The Prometheus series are process-wide (every host of a test run shares them); this instance's own count is not.
    private readonly ConcurrentDictionary<string, long> _queriesRun = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _bloomAnswers = new(StringComparer.Ordinal);

    public ReadMetrics()
    {
        // Series exist at zero from the start, so rate() and alerts see them before the first event.
        foreach (var reason in (string[])[Redis, Budget, Postgres])
        {
            _degraded.WithLabels(reason);
        }

        foreach (var kind in (string[])[Counts, Liked, MyLikes, Page, Likers, Settings])
        {
            _fallbackQueries.WithLabels(kind);
        }

        foreach (var answer in (string[])[BloomDefiniteNo, BloomMaybe, BloomFalsePositive])
        {
            _bloom.WithLabels(answer);
        }

        _facts.WithLabels(Redis);
        _facts.WithLabels(Postgres);
    }

    public void Degraded(string reason) => _degraded.WithLabels(reason).Inc();

    public void Degraded(DegradedReason reason) => Degraded(reason == DegradedReason.Budget ? Budget : Postgres);

    public void FallbackQuery(string kind, TimeSpan elapsed)
    {
        _fallbackQueries.WithLabels(kind).Inc();
        _fallbackSeconds.WithLabels(kind).Observe(elapsed.TotalSeconds);
        _queriesRun.AddOrUpdate(kind, 1, static (_, n) => n + 1);
    }

    /// <summary>The fallback queries of one kind this edge ran since it started.</summary>
    public long FallbackQueriesRun(string kind) => _queriesRun.GetValueOrDefault(kind);

    public void GhostHits(int hits)
    {
        if (hits > 0)
        {
            _ghostHits.Inc(hits);
        }
    }

    public void Bloom(int definiteNo, int maybe)
    {
        Add(_bloom.WithLabels(BloomDefiniteNo), definiteNo);
        Add(_bloom.WithLabels(BloomMaybe), maybe);
        _bloomAnswers.AddOrUpdate(BloomDefiniteNo, definiteNo, (_, n) => n + definiteNo);
        _bloomAnswers.AddOrUpdate(BloomMaybe, maybe, (_, n) => n + maybe);
    }

    public void BloomFalsePositives(int falsePositives)
    {
        Add(_bloom.WithLabels(BloomFalsePositive), falsePositives);
        _bloomAnswers.AddOrUpdate(BloomFalsePositive, falsePositives, (_, n) => n + falsePositives);
    }

    /// <summary>The Bloom filter answers of one kind this edge gave since it started.</summary>
    public long BloomAnswers(string answer) => _bloomAnswers.GetValueOrDefault(answer);

    public void Facts(int fromRedis, int fromPostgres)
    {
        Add(_facts.WithLabels(Redis), fromRedis);
        Add(_facts.WithLabels(Postgres), fromPostgres);
    }

    private static void Add(Counter.Child counter, int n)
    {
        if (n > 0)
        {
            counter.Inc(n);
        }
    }
}
