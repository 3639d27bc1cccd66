using Likes.Bench.Memory;
using Likes.Bench.Workload;
using Likes.Shared;
using StackExchange.Redis;

namespace Likes.Bench.Scenarios;

/// <summary>
/// Redis memory of the system for a like graph (every content's counter, the active users' timelines, and
/// whatever else the system keeps under its prefix) against the naive design (a set of liker ids per
/// content, every relation) for the same graph, in the same Redis, both by <c>MEMORY USAGE</c>.
/// </summary>
public sealed class MemoryScenario(IConnectionMultiplexer redis, RedisKeys keys)
{
    public const string Counters = "counters";
    public const string Timelines = "timelines";
    public const string Other = "other";

    /// <param name="naivePrefix">Where the naive sets go for the measurement; as long as the system's prefix, so key names cost both the same.</param>
    public async Task<MemoryFigures> RunAsync(LikeGraph graph, string naivePrefix)
    {
        var system = await new RedisMemory(redis).MeasureAsync(keys.Prefix + "*", KindOf);
        var naive = await new NaiveLikerSets(redis, naivePrefix).MeasureAsync(graph.LikersByContent());
        return new MemoryFigures(graph.Shape, system, naive);
    }

    private string KindOf(string key)
    {
        var rest = key.AsSpan(keys.Prefix.Length);
        return rest.StartsWith("counts:") ? Counters : rest.StartsWith("t{") ? Timelines : Other;
    }
}

public sealed record MemoryFigures(WorkloadShape Shape, IReadOnlyDictionary<string, KeysCost> System, NaiveFigures Naive)
{
    public long SystemBytes => System.Values.Sum(c => c.Bytes);

    public KeysCost Kind(string kind) => System.GetValueOrDefault(kind);

    public double SavingPct => Naive.Bytes > 0 ? Math.Round(100.0 * (1 - (double)SystemBytes / Naive.Bytes), 2) : 0;
}
