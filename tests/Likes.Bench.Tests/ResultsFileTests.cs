using System.Text.Json;
using Likes.Bench.Report;
using Xunit;

namespace Likes.Bench.Tests;

/// <summary>bench/results/latest.json keeps the keys the benchmark issue names, as numbers.</summary>
public class ResultsFileTests
{
    public static readonly TheoryData<string> IssueKeys =
    [
        "feed_state.system_rps", "feed_state.system_p50_ms", "feed_state.system_p99_ms", "feed_state.pg_baseline_rps",
        "feed_state.pg_baseline_p99_ms", "feed_state.redis_ceiling_rps", "feed_state.ratio_vs_pg",
        "ingest.accepted_per_s", "ingest.raw_publish_per_s", "ingest.ratio_vs_raw_publish",
        "hot_burst.likes", "hot_burst.incrby_calls", "hot_burst.likes_per_incrby", "hot_burst.seconds_to_exact",
        "peer_sync_pg.burst_accepted_per_s", "peer_sync_pg.burst_p99_ms", "peer_sync_pg.ingest_accepted_per_s", "peer_sync_pg.ingest_p99_ms",
        "hot_burst.ratio_vs_sync_pg", "ingest.ratio_vs_sync_pg",
        "persist.rows_per_s", "persist.raw_rows_per_s", "persist.ratio_vs_raw",
        "memory.likes", "memory.naive_bytes", "memory.system_bytes", "memory.saving_pct",
        "exactness.drift_contents", "exactness.lost_likes", "exactness.wrong_answers",
        "machine.cores", "machine.memory_gb",
    ];

    [Theory]
    [MemberData(nameof(IssueKeys))]
    public void EveryKeyTheIssueNames_IsANumber(string path)
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Results.All(), ResultsFile.Json));
        var element = path.Split('.').Aggregate(json.RootElement, (e, name) => e.GetProperty(name));

        Assert.Equal(JsonValueKind.Number, element.ValueKind);
    }

    [Fact]
    public void TheMachineIsDescribed()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Results.All(), ResultsFile.Json));
        var machine = json.RootElement.GetProperty("machine");

        Assert.Equal("AMD EPYC", machine.GetProperty("cpu_model").GetString());
        Assert.Equal(".NET 10.0", machine.GetProperty("dotnet").GetString());
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("date").GetString()));
    }

    [Fact]
    public async Task WriteAsync_PutsLatestJsonUnderBenchResults_AndKeepsTheModesRunBesideIt()
    {
        var root = Directory.CreateTempSubdirectory("likes-bench-").FullName;
        try
        {
            var path = await ResultsFile.WriteAsync(Results.All(), root);

            Assert.Equal(Path.Combine(root, "bench", "results", "latest.json"), path);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            Assert.Equal(3.6, json.RootElement.GetProperty("feed_state").GetProperty("ratio_vs_pg").GetDouble());
            Assert.Equal(await File.ReadAllTextAsync(path), await File.ReadAllTextAsync(Path.Combine(root, "bench", "results", "quick.json")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
