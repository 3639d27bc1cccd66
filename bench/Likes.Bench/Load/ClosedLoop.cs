using System.Diagnostics;

namespace Likes.Bench.Load;

/// <summary>
/// N clients, each sending its next request only when the previous one answered (closed loop), for a
/// bounded time or count. Reports progress while it runs.
/// </summary>
public static class ClosedLoop
{
    /// <summary>One request by client <c>i</c>; returns the HTTP status (0 for a transport failure).</summary>
    public delegate Task<int> Request(int client, Random random, CancellationToken cancellationToken);

    public static async Task<LoadResult> RunAsync(
        int clients,
        TimeSpan duration,
        long maxRequests,
        Request request,
        Action<LatencyRecorder, TimeSpan>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var recorder = new LatencyRecorder();
        long issued = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var started = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var random = new Random(unchecked(i * 7919 + 17));
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= maxRequests)
            {
                var t0 = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    status = await request(i, random, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }

                recorder.Record(t0, status);
            }
        }, CancellationToken.None)).ToList();

        var all = Task.WhenAll(workers);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(500, CancellationToken.None));
            progress?.Invoke(recorder, started.Elapsed);
        }

        await all;
        return new LoadResult(recorder, started.Elapsed);
    }
}

public sealed record LoadResult(LatencyRecorder Recorder, TimeSpan Elapsed)
{
    public double Throughput => Recorder.Total / Elapsed.TotalSeconds;
}
