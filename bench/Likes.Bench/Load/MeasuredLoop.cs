namespace Likes.Bench.Load;

/// <summary>
/// A closed-loop run with its live line (rate, successes, errors, and whatever the caller adds) and its
/// figures at the end: the one way every scenario drives load. Quiet when a caller shows its own display.
/// </summary>
public static class MeasuredLoop
{
    public static async Task<RunFigures> RunAsync(
        string name,
        int clients,
        TimeSpan duration,
        ClosedLoop.Request request,
        CancellationToken cancellationToken,
        long maxRequests = long.MaxValue,
        Func<string>? status = null,
        bool quiet = false)
    {
        var series = new ThroughputSeries();
        var line = new LiveLine();
        var result = await ClosedLoop.RunAsync(clients, duration, maxRequests, request, (recorder, elapsed) =>
        {
            var rate = series.Sample(recorder.Ok, elapsed);
            if (quiet)
            {
                return;
            }

            var errors = recorder.Total - recorder.Ok;
            line.Update($"  {name,-44} {elapsed.TotalSeconds,5:F1} s {rate,9:N0}/s  ok {recorder.Ok,9:N0}  errors {errors,5:N0}  {status?.Invoke()}");
        }, cancellationToken);

        var figures = RunFigures.From(name, clients, result, series);
        if (quiet)
        {
            return figures;
        }

        line.Finish($"  {name,-44} {figures.Seconds,5:F1} s {figures.PerSecond,9:N0}/s  ok {figures.Ok,9:N0}  errors {figures.Failed,5:N0}  p50 {figures.Latency.P50:F2} ms  p99 {figures.Latency.P99:F2} ms");
        return figures;
    }
}
