using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Likes.Bench.Scenarios;

namespace Likes.Bench.Report;

/// <summary>
/// <c>./likes bench --cluster</c>: each topology's figures are kept in bench/results/topology-&lt;name&gt;.json as it
/// is measured; the comparison puts both under the <c>cluster</c> key of latest.json, with the cluster's share of the
/// single node's rate, and prints them side by side.
/// </summary>
public static class TopologyComparison
{
    public static async Task SaveAsync(TopologyFigures figures, string root)
    {
        var path = FileOf(root, figures.Topology);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await ResultsFile.ReplaceAsync(path, JsonSerializer.Serialize(figures, ResultsFile.Json) + "\n");
    }

    public static async Task<int> WriteAsync(string root)
    {
        var single = await ReadAsync(root, "single");
        var cluster = await ReadAsync(root, "cluster");
        var comparison = new JsonObject
        {
            ["single"] = JsonSerializer.SerializeToNode(single, ResultsFile.Json),
            ["cluster"] = JsonSerializer.SerializeToNode(cluster, ResultsFile.Json),
            ["cluster_vs_single"] = new JsonObject
            {
                ["accepted_per_second"] = Ratio(cluster.AcceptedPerSecond, single.AcceptedPerSecond),
                ["feed_state_pages_per_second"] = Ratio(cluster.FeedStatePagesPerSecond, single.FeedStatePagesPerSecond),
                ["burst_likes_per_second"] = Ratio(cluster.BurstLikesPerSecond, single.BurstLikesPerSecond),
            },
        };
        var latest = ResultsFile.LatestPath(root);
        var results = File.Exists(latest) ? JsonNode.Parse(await File.ReadAllTextAsync(latest))!.AsObject() : [];
        results[ResultsFile.ClusterKey] = comparison;
        await ResultsFile.ReplaceAsync(latest, results.ToJsonString(ResultsFile.Nodes) + "\n");

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{"",-32} {"single node",14} {"cluster",14} {"ratio",7}"));
        Row("ingest: accepted likes/s", single.AcceptedPerSecond, cluster.AcceptedPerSecond);
        Row("ingest: p99 ms", single.IngestP99Ms, cluster.IngestP99Ms);
        Row("feed-state: pages/s", single.FeedStatePagesPerSecond, cluster.FeedStatePagesPerSecond);
        Row("feed-state: p99 ms", single.FeedStateP99Ms, cluster.FeedStateP99Ms);
        Row("hot burst: likes/s", single.BurstLikesPerSecond, cluster.BurstLikesPerSecond);
        Row("hot burst: p99 ms", single.BurstP99Ms, cluster.BurstP99Ms);
        Row("hot burst: s until exact", single.BurstSecondsToExact, cluster.BurstSecondsToExact);
        foreach (var figures in new[] { single, cluster })
        {
            Console.WriteLine($"{figures.Topology}: stream leader {figures.StreamLeader}; Redis commands per master during the ingest: "
                + string.Join(", ", figures.RedisCommandsPerMaster.Select(m => string.Create(c, $"{m.Key} {m.Value:N0}"))));
            Console.WriteLine($"{figures.Topology}: CPU s during the ingest: "
                + string.Join(", ", figures.IngestCpuSeconds.OrderByDescending(p => p.Value).Select(p => string.Create(c, $"{p.Key} {p.Value:F1}"))));
        }

        Console.WriteLine($"results: {Path.GetRelativePath(root, latest)} (key cluster)");
        return 0;

        void Row(string name, double a, double b) => Console.WriteLine(string.Create(c, $"{name,-32} {a,14:N2} {b,14:N2} {Ratio(a == 0 ? 0 : b, a),7:F2}"));
    }

    private static double Ratio(double of, double to) => to > 0 ? Math.Round(of / to, 2) : 0;

    private static string FileOf(string root, string topology) => Path.Combine(root, "bench", "results", $"topology-{topology}.json");

    private static async Task<TopologyFigures> ReadAsync(string root, string topology)
        => JsonSerializer.Deserialize<TopologyFigures>(await File.ReadAllTextAsync(FileOf(root, topology)), ResultsFile.Json)
            ?? throw new InvalidOperationException($"{FileOf(root, topology)} is empty: run ./likes bench --cluster");
}
