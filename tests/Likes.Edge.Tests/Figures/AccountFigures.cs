using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using Likes.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Edge.Tests.Figures;

/// <summary>
/// Who-liked, erasure and export in figures, on the live stack (edge in-process, aggregator, persister): a likers page
/// of a content with 1,000,000 likes against one with 10, in the same run; a user with 100,000 likes exported, then
/// erased while other users like the same contents, every count checked exact afterwards. Prints; asserts correctness.
/// <code>LIKES_FIGURES=1 dotnet test tests/Likes.Edge.Tests -c Release --no-build --filter AccountFigures --logger "console;verbosity=detailed"</code>
/// </summary>
[Collection(nameof(AccountFigures))]
public sealed class AccountFigures(AccountFigures.Stack stack, ITestOutputHelper output) : IClassFixture<AccountFigures.Stack>
{
    private const long HotContent = 8_000_001;
    private const long SmallContent = 8_000_002;
    private const int HotLikes = 1_000_000;
    private const int Requests = 400;
    private const long HeavyUser = 7_000_001;
    private const int HeavyLikes = 100_000;
    private const long FirstContent = 6_000_000;

    [FiguresFact]
    public async Task LikersPages_OfAMillionLikes_CostWhatTenLikesCost()
    {
        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            foreach (var (content, likes) in new[] { (HotContent, HotLikes), (SmallContent, 10) })
            {
                // Every 50th liker private, so the page skips some.
                await c.ExecuteAsync(
                    """
                    INSERT INTO likes SELECT 1000000 + i, @content, to_timestamp((1764000000000 + i * 7) / 1000.0) FROM generate_series(1, @likes) i;
                    INSERT INTO private_likes SELECT @content, 1000000 + i FROM generate_series(50, @likes, 50) i;
                    INSERT INTO content_like_counts (content_id, like_count, version, private_likers) VALUES (@content, @likes, 1, @likes / 50);
                    """, new { content, likes }, commandTimeout: 600);
            }

            await c.ExecuteAsync("ANALYZE likes; ANALYZE private_likes", commandTimeout: 600);
        }

        var token = Tokens.For(Users.Next());
        output.WriteLine($"likers pages (limit 20, {Requests} requests each, sequential, in-process edge):");
        var figures = new Dictionary<string, (double P50, double P99)>();
        foreach (var (name, content) in new[] { ("10 likes, first page", SmallContent), ("1,000,000 likes, first page", HotContent), ("1,000,000 likes, page 500", HotContent) })
        {
            string? cursor = null;
            if (name.EndsWith("page 500", StringComparison.Ordinal))
            {
                for (var page = 1; page < 500; page++)
                {
                    cursor = (await ReadRequests.OkAsync<Likers>(stack.Client.LikersAsync(Id(content), token, 20, cursor))).NextCursor;
                }
            }

            var times = new List<double>(Requests);
            for (var i = 0; i < Requests + 50; i++)
            {
                var clock = Stopwatch.StartNew();
                var likers = await ReadRequests.OkAsync<Likers>(stack.Client.LikersAsync(Id(content), token, 20, cursor));
                if (i >= 50)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }

                Assert.Equal(content == HotContent ? HotLikes : 10, likers.Count);
                Assert.Equal(content == HotContent ? 20 : 10, likers.Items.Count);
            }

            times.Sort();
            figures[name] = (times[times.Count / 2], times[(int)(times.Count * 0.99)]);
            output.WriteLine($"  {name,-30} p50 {figures[name].P50:F2} ms  p99 {figures[name].P99:F2} ms");
        }

        output.WriteLine($"  p50 ratio 1,000,000 / 10: {figures["1,000,000 likes, first page"].P50 / figures["10 likes, first page"].P50:F2}");
    }

    [FiguresFact]
    public async Task ExportAndErasure_OfAHundredThousandLikes_WhileOthersLikeTheSameContents()
    {
        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            await c.ExecuteAsync(
                """
                INSERT INTO likes SELECT @user, @first + i, to_timestamp((1764000000000 + i * 1000) / 1000.0) FROM generate_series(1, @likes) i;
                INSERT INTO content_like_counts (content_id, like_count, version) SELECT @first + i, 1, 1 FROM generate_series(1, @likes) i;
                ANALYZE likes;
                """, new { user = HeavyUser, first = FirstContent, likes = HeavyLikes }, commandTimeout: 600);
        }

        var token = Tokens.For(HeavyUser);
        GC.Collect();
        var heapBefore = GC.GetGCMemoryInfo().HeapSizeBytes;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        using (var response = await stack.Client.GetAsync("/v1/users/me/likes/export", token, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());
            var count = 0;
            long heapPeak = 0;
            while (await lines.ReadLineAsync() is { } line)
            {
                Assert.StartsWith("{\"contentId\":\"", line, StringComparison.Ordinal);
                if (++count % 10_000 == 0)
                {
                    heapPeak = Math.Max(heapPeak, GC.GetGCMemoryInfo().HeapSizeBytes);
                }
            }

            Assert.Equal(HeavyLikes, count);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            output.WriteLine($"export: {count:N0} likes in {clock.Elapsed.TotalSeconds:F2} s = {count / clock.Elapsed.TotalSeconds:N0} rows/s; "
                + $"managed heap before {heapBefore / 1024.0 / 1024:F1} MiB, largest seen during {heapPeak / 1024.0 / 1024:F1} MiB; "
                + $"{allocated / (double)count:F0} bytes allocated per row (client and in-process edge together)");
        }

        // Others like the same contents, through the edge, while the erasure runs.
        var others = Enumerable.Range(0, 40).Select(i => 7_100_000L + i).ToList();
        var liked = new List<(long User, long Content)>();
        using var stop = new CancellationTokenSource();
        var liking = Task.Run(async () =>
        {
            var random = new Random(5);
            while (!stop.IsCancellationRequested)
            {
                var (user, content) = (others[random.Next(others.Count)], FirstContent + 1 + random.Next(HeavyLikes));
                if ((await stack.Client.LikeAsync(Id(content), Tokens.For(user))).StatusCode == HttpStatusCode.Accepted)
                {
                    liked.Add((user, content));
                }
            }
        });

        clock.Restart();
        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.EraseAsync(token)).StatusCode);
        await Eventually.UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM likes WHERE user_id = @user", new { user = HeavyUser }) == 0, TimeSpan.FromMinutes(10), "erased");
        var erasure = clock.Elapsed;
        await stop.CancelAsync();
        await liking;
        var expected = liked.Distinct().Count();
        await Eventually.UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM likes WHERE user_id = ANY(@others)", new { others = others.ToArray() }) == expected, TimeSpan.FromSeconds(30), "the others' likes applied");

        var drift = await ScalarAsync(
            """
            SELECT count(*) FROM content_like_counts k
            WHERE k.content_id > @first AND k.content_id <= @first + @likes
              AND k.like_count <> (SELECT count(*) FROM likes l WHERE l.content_id = k.content_id)
            """, new { first = FirstContent, likes = HeavyLikes });
        output.WriteLine($"erasure: {HeavyLikes:N0} likes in {erasure.TotalSeconds:F2} s = {HeavyLikes / erasure.TotalSeconds:N0} rows/s "
            + $"(chunks of {stack.Configuration()["Persister:UserWideChunk"]}), while {expected:N0} likes of the same contents by {others.Count} other users were accepted; "
            + $"count rows off afterwards: {drift}");
        Assert.Equal(0, drift);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<long> ScalarAsync(string sql, object args)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(sql, args, commandTimeout: 300);
    }

    /// <summary>The live stack with erasures in the deployed default's batches.</summary>
    public sealed class Stack : LiveStackFixture
    {
        public override Dictionary<string, string?> Configuration()
        {
            var configuration = base.Configuration();
            configuration["Persister:UserWideChunk"] = "5000";
            return configuration;
        }
    }
}
