using Spectre.Console;

namespace Likes.Bench.Report;

/// <summary>The table a run ends with: each scenario against its baseline and each goal met or short; then what bounds each figure.</summary>
public static class ResultTable
{
    public static void Write(BenchResults r)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]Likes benchmarks[/] ({r.Run.Mode}, {r.Machine.Cores} cores, {Markup.Escape(r.Machine.CpuModel)}, {r.Machine.Date})")
            .AddColumns("scenario", "measured (each against its baseline, same run)", "goal", "");
        foreach (var goal in r.Goals)
        {
            table.AddRow(goal.Scenario, Markup.Escape(goal.Measured), Markup.Escape(goal.Goal), goal.Met ? "[green]met[/]" : "[red]short[/]");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[bold]What bounds each figure[/] (measured in the same run):");
        foreach (var goal in r.Goals.Where(g => g.Limit.Length > 0))
        {
            AnsiConsole.MarkupLine($"  [bold]{goal.Scenario}[/]: {Markup.Escape(goal.Limit)}");
        }

        if (r.IngestLayers is { Count: > 0 } layers)
        {
            AnsiConsole.MarkupLine("[bold]Ingest layer by layer[/] (likes/s, share of the raw publish, CPU ms per like by process):");
            foreach (var l in layers)
            {
                var cpu = string.Join(", ", l.CpuMsPerLike.Select(c => $"{c.Key} {c.Value:F3}"));
                AnsiConsole.MarkupLine($"  {Markup.Escape(l.Name)}: {l.LikesPerS:N0}/s ({l.RatioVsRawPublish:F3}), p50 {l.P50Ms:F1} ms, p99 {l.P99Ms:F1} ms; {Markup.Escape(cpu)}");
            }
        }
    }
}
