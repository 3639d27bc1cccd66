using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Edge.Tests;

/// <summary>
/// Seeded random requests (<see cref="HttpFuzzer"/>) on a real socket to the edge: whatever comes in, the answer
/// is never a 5xx and never shows an exception or a stack trace. <c>LIKES_FUZZ_REQUESTS</c> (default 1500) and
/// <c>LIKES_FUZZ_SEED</c> run it longer or from another seed; a failure names the seed and the request, and keeps
/// its bytes under <c>.local/fuzz/</c>.
/// </summary>
public sealed class HttpFuzzTests(KestrelEdgeFixture edge, ITestOutputHelper output) : IClassFixture<KestrelEdgeFixture>
{
    private static readonly int Requests = int.Parse(Environment.GetEnvironmentVariable("LIKES_FUZZ_REQUESTS") ?? "1500", CultureInfo.InvariantCulture);

    private static readonly int Seed = int.Parse(Environment.GetEnvironmentVariable("LIKES_FUZZ_SEED") ?? "20261124", CultureInfo.InvariantCulture);

    private static readonly string[] Leaks = ["Exception", "\n   at ", " at Likes.", " at System.", " at Microsoft.", "StackTrace"];

    [Fact]
    public async Task RandomRequests_NeverGetA5xx_NorAStackTrace()
    {
        var fuzzer = new HttpFuzzer(Seed);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            var request = fuzzer.Next(out var summary);
            var response = await RawHttp.SendAsync(edge.Port, request);
            statuses[response.Status / 100] = statuses.GetValueOrDefault(response.Status / 100) + 1;
            // /metrics is Prometheus text: metric names may say "exception"; a stack frame still may not show.
            var leaks = response.Body.StartsWith("# HELP", StringComparison.Ordinal) ? Leaks.Skip(1) : Leaks;
            var leak = leaks.FirstOrDefault(l => response.Body.Contains(l, StringComparison.Ordinal));
            if (response.Status is 0 or >= 500 || leak is not null)
            {
                // Kept byte for byte, to replay: RawHttp.SendAsync(port, File.ReadAllBytes(…)).
                var saved = Path.Combine(Fixtures.Repository.Local, "fuzz", $"{Seed}-{i}.http");
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                await File.WriteAllBytesAsync(saved, request);
                failures.Add($"#{i} {summary} -> {response.Status}{(leak is null ? "" : $" showing '{leak.Trim()}'")} ({saved}): {response.Body[..Math.Min(300, response.Body.Length)]}");
            }
        }

        var tally = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}xx: {s.Value}"));
        output.WriteLine($"seed {Seed}, {Requests} requests: {tally}");
        Assert.True(failures.Count == 0, $"seed {Seed}, {Requests} requests ({tally}); {failures.Count} failed:\n{string.Join('\n', failures.Take(20))}");
        // The fuzzer reaches past validation too: some requests are accepted, most are refused.
        Assert.True(statuses.GetValueOrDefault(2) > 0 && statuses.GetValueOrDefault(4) > 0, tally);
    }
}
