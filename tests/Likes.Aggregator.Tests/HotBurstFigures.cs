using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Likes.Fixtures;
using Likes.Shared;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Aggregator.Tests;

/// <summary>Runs alone: it reads process-wide metrics and its timings mean little next to other tests.</summary>
[CollectionDefinition(nameof(HotBurstFigures), DisableParallelization = true)]
public sealed class HotBurstCollection;

/// <summary>
/// A hot item: 10,000 likes from distinct users on one content, published as fast as possible, with the
/// aggregator and the persister running. Prints how well the counter writes coalesce and how long the
/// counter lags the last publish; asserts only that everything ends exact.
/// </summary>
[Collection(nameof(HotBurstFigures))]
public class HotBurstFigures(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private const int Likes = 10_000;
    private const long Content = 777;

    [Fact]
    public async Task TenThousandLikesOnOneContent_CountEndsExact_AndFiguresArePrinted()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        await using var persister = await Aggregators.StartPersisterAsync(fixture);
        using var http = new HttpClient { BaseAddress = persister.BaseAddress };
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var reader = new TimelineReader(fixture);
        var db = fixture.Redis.GetDatabase();
        var users = Enumerable.Range(1, Likes).Select(i => 100_000L + i).ToList();

        // Warm-up on another content, so the figures are of warm daemons, not of JIT compilation.
        await Parallel.ForEachAsync(users.Take(1_000), new ParallelOptions { MaxDegreeOfParallelism = 256 },
            async (user, _) => await publisher.PublishAsync(publisher.Like(user, Content + 1)));
        await Aggregators.CaughtUpAsync(publisher, "persister", TimeSpan.FromSeconds(120));
        await Aggregators.CaughtUpAsync(publisher, "aggregator", TimeSpan.FromSeconds(120));
        var before = await ScrapeAsync(http);

        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 256 },
            async (user, _) => await publisher.PublishAsync(publisher.Like(user, Content)));
        var lastAck = Stopwatch.GetTimestamp();

        var counted = await Eventually.UntilAsync(
            async () => CounterValue.TryParse(await CounterStore.Read(db, reader.Keys, Content), out var v) ? v.Count : -1,
            count => count >= Likes, TimeSpan.FromSeconds(120), "Redis counter at 10,000");
        var counterLag = Stopwatch.GetElapsedTime(lastAck);
        await Aggregators.CaughtUpAsync(publisher, "persister", TimeSpan.FromSeconds(120));
        await Aggregators.CaughtUpAsync(publisher, "aggregator", TimeSpan.FromSeconds(120));
        var after = await ScrapeAsync(http);

        Assert.Equal(Likes, counted);
        await using (var count = fixture.Postgres.CreateCommand($"SELECT like_count FROM content_like_counts WHERE content_id = {Content}"))
        {
            Assert.Equal((long)Likes, await count.ExecuteScalarAsync());
        }

        Assert.Equal(0, await MissingFromTimelinesAsync(db, reader, users));

        var publishSeconds = Stopwatch.GetElapsedTime(started, lastAck).TotalSeconds;
        var writes = Delta(before, after, "likes_persister_counter_writes_total");
        var changes = Delta(before, after, "likes_persister_counted_changes_total");
        output.WriteLine($"published {Likes} likes in {publishSeconds:F3} s ({Likes / publishSeconds:F0}/s, 256 in flight)");
        output.WriteLine($"persister: {Delta(before, after, "likes_consumer_batch_size_count{worker=\"persister\"}"):F0} batches, {changes:F0} counted changes, {writes:F0} counter writes = {changes / Math.Max(1, writes):F1} likes per counter write");
        output.WriteLine($"aggregator: {Delta(before, after, "likes_consumer_batch_size_count{worker=\"aggregator\"}"):F0} batches");
        output.WriteLine($"last publish ack -> Redis counter {Likes}: {counterLag.TotalSeconds:F3} s (polled every 25 ms)");
    }

    private static async Task<int> MissingFromTimelinesAsync(IDatabase db, TimelineReader reader, IReadOnlyList<long> users)
    {
        var batch = db.CreateBatch();
        var scores = users.Select(u => batch.SortedSetScoreAsync(reader.Keys.Timeline(u), Content)).ToList();
        batch.Execute();
        return (await Task.WhenAll(scores)).Count(s => s is null);
    }

    private static Task<string> ScrapeAsync(HttpClient http) => http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    private static double Delta(string before, string after, string metric) => Value(after, metric) - Value(before, metric);

    private static double Value(string text, string metric)
    {
        var match = Regex.Match(text, $"(?m)^{Regex.Escape(metric)} ([0-9.e+]+)$");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
