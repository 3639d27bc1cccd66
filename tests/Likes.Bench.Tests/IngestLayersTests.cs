using System.Text.Json;
using Likes.Bench.Load;
using Likes.Bench.Report;
using Likes.Bench.Scenarios;
using Xunit;

namespace Likes.Bench.Tests;

/// <summary>The ingest's layers: each edge layer as measured, then the full fleet from the ingest, CPU per like per process.</summary>
public class IngestLayersTests
{
    [Fact]
    public void Layers_EndWithTheFullFleet_EachWithItsShareOfTheRawPublishAndCpuPerLike()
    {
        var results = Results.All();
        results.Ingest = results.Ingest! with { CpuSeconds = new Dictionary<string, double> { ["edge"] = 4.5, ["nats"] = 0.9 } };
        var front = new RunFigures(IngestLayersScenario.Front, 64, 10, 120_000, 0, new Percentiles(120_000, 2, 3, 9, 12, 20), []);

        var layers = new[] { new LayerFigures(front.Name, front, new Dictionary<string, double> { ["edge"] = 6.0 }) }.ToResult(results.Ingest);

        Assert.Equal([IngestLayersScenario.Front, ResultMapping.FullFleet], layers.Select(l => l.Name));
        Assert.Equal(12_000, layers[0].LikesPerS);
        Assert.Equal(0.2, layers[0].RatioVsRawPublish);
        Assert.Equal(0.05, layers[0].CpuMsPerLike["edge"]);
        Assert.Equal(0.1, layers[1].CpuMsPerLike["edge"]);
        Assert.Equal(0.02, layers[1].CpuMsPerLike["nats"]);
        results.IngestLayers = layers;
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(results, ResultsFile.Json));
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("ingest_layers")[1].GetProperty("cpu_ms_per_like").GetProperty("nats").ValueKind);
    }
}
