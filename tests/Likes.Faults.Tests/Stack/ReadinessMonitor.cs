using System.Diagnostics;

namespace Likes.Faults.Tests.Stack;

/// <summary>Polls every daemon's <c>/healthz/ready</c> during a scenario and remembers when one last was not ready.</summary>
public sealed class ReadinessMonitor(PrivateStack stack, Stopwatch clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private long _lastNotReadyTicks = -1;

    public TimeSpan? LastNotReady => Interlocked.Read(ref _lastNotReadyTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    public async Task RunAsync(CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        while (!stop.IsCancellationRequested)
        {
            var checks = stack.Ports.Daemons.Values.Select(port => ReadyAsync(http, port)).ToList();
            if ((await Task.WhenAll(checks)).Any(ready => !ready))
            {
                Interlocked.Exchange(ref _lastNotReadyTicks, clock.Elapsed.Ticks);
            }

            try
            {
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<bool> ReadyAsync(HttpClient http, int port)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
