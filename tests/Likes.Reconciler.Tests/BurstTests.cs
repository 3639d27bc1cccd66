using System.Collections.Concurrent;
using Likes.Fixtures;
using Likes.Persister;
using Likes.Shared;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>
/// The case the reconciler must never get wrong: a content under a live burst. Reconciliation runs in a loop
/// the whole time the persister writes; it must report no drift and leave the count exact.
/// </summary>
public class BurstTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private const long Content = 4600;
    private const int Likes = 600;

    private readonly Stack _stack = new(fixture);

    [Fact]
    public async Task ReconcilingInALoopThroughA600LikeBurst_ReportsNoDrift_AndTheCountEndsAndStaysAt600()
    {
        var persisterConfiguration = _stack.Configuration();
        persisterConfiguration["Consumer:BatchSize"] = "20";   // many small commits: many counter writes to race with
        await using var persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), persisterConfiguration);
        // Counters only: a timeline audit waiting out the grace period on the burst's lag would leave fewer rounds to overlap it.
        await using var reconciler = await _stack.ServicesAsync(new Dictionary<string, string?> { ["Reconciler:Grace"] = "00:00:10", ["Reconciler:TimelineSample"] = "0" });
        var recent = reconciler.Get<RecentReconciliation>();
        var full = reconciler.Get<FullAudit>();
        var events = new EventPublisher(fixture.JetStream, fixture.Stream);

        // Warm: the first round of each job pays for JIT and connection set-up, and must not miss the burst.
        var reports = new ConcurrentQueue<ReconcileReport>([await recent.RunAsync(CancellationToken.None), await full.RunAsync(CancellationToken.None)]);
        using var stop = new CancellationTokenSource();
        var duringBurst = 0;
        var rounds = 0;
        var loop = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                reports.Enqueue(await recent.RunAsync(CancellationToken.None));
                if (i % 5 == 4)
                {
                    reports.Enqueue(await full.RunAsync(CancellationToken.None));
                }

                if (await _stack.RowsAsync(Content) is > 0 and < Likes)
                {
                    Interlocked.Increment(ref duringBurst);
                }

                Interlocked.Increment(ref rounds);
            }
        });

        // Six waves of 100 likes, each published while the reconcilers are mid-loop.
        for (var wave = 0; wave < 6; wave++)
        {
            await Parallel.ForEachAsync(Enumerable.Range(wave * 100 + 1, 100), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (user, _) => await events.PublishAsync(events.Like(10_000 + user, Content)));
            var seen = Volatile.Read(ref rounds);
            await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref rounds) >= seen + 2), TimeSpan.FromSeconds(30), "two reconcile rounds after a wave");
        }

        var truth = await Eventually.UntilAsync(() => _stack.CountRowAsync(Content), v => v?.Count == Likes, TimeSpan.FromSeconds(60), "count row at 600");
        await Eventually.UntilAsync(async () => await _stack.RedisAsync(Content) == truth!.Value.ToString(), TimeSpan.FromSeconds(30), "Redis counter at the row");
        await stop.CancelAsync();
        await loop;

        // After the burst: more runs of both jobs change nothing.
        for (var i = 0; i < 3; i++)
        {
            reports.Enqueue(await recent.RunAsync(CancellationToken.None));
            reports.Enqueue(await full.RunAsync(CancellationToken.None));
        }

        Assert.True(duringBurst >= 3, $"only {duringBurst} reconcile rounds overlapped the burst");
        var drift = reports.SelectMany(r => r.Findings).ToList();
        Assert.True(drift.Count == 0, "drift reported during the burst: " + string.Join("; ", drift));
        Assert.All(reports, r => Assert.Equal((0, 0), (r.RedisDrift, r.PostgresDrift)));
        Assert.Equal(Likes, await _stack.RowsAsync(Content));
        Assert.Equal(truth, await _stack.CountRowAsync(Content));
        Assert.Equal(truth!.Value.ToString(), await _stack.RedisAsync(Content));
        Assert.Equal(new CounterValue(Likes, truth.Value.Version), CounterValue.TryParse(await _stack.RedisAsync(Content), out var v) ? v : default);
    }
}
