using Likes.Bench.Checks;
using Likes.Faults.Tests.Load;
using Likes.Shared.Configuration;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>The stream is where a write becomes durable: without it the edge says so (503), and reads go on.</summary>
[Collection(PrivateStackCollection.Name)]
public sealed class NatsFaultTests(PrivateStack stack, ITestOutputHelper output)
{
    /// <summary>The edge's default publish timeout, plus room for a loaded machine.</summary>
    /// <summary>How many seconds a restarted server's JetStream may take to answer again.</summary>
    private const int JetStreamRecoveryAttempts = 30;

    private static readonly TimeSpan PublishTimeoutAndMargin = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task NatsKilledAndRestarted_WritesAre503WithRetryAfter_ReadsUnaffected_NothingAcknowledgedLost()
    {
        ulong beforeKill = 0;
        var plan = new FaultPlan(8, "NATS killed, restarted", "SIGKILL of nats-server under load; restarted on its store",
            async c =>
            {
                beforeKill = (await StreamStateAsync(c.Stack)).LastSeq;
                await c.Faults.KillAsync("nats");
            },
            async c =>
            {
                await c.Faults.RestartMissingAsync();
                var restored = await StreamStateAsync(c.Stack);
                c.Notes.Add($"stream restored at sequences {restored.FirstSeq}..{restored.LastSeq} (last sequence read just before the kill: {beforeKill})");
            })
        {
            // Writes wait out the publish timeout (2 s, the whole fault) while NATS is down, and so do the clients
            // sending them: without a client that only reads, a fault can pass with no read sent during it.
            Shape = LoadShape.Default with { Readers = 1 },
        };

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        var writes = run.DuringFault(RequestKind.Write).ToList();
        Assert.Contains(writes, w => w.Status == 503);
        Assert.All(writes.Where(w => w.Status != 202), w =>
        {
            Assert.Equal(503, w.Status);
            Assert.NotNull(w.RetryAfter);
            Assert.True(w.Latency <= PublishTimeoutAndMargin, $"a 503 took {w.Latency.TotalSeconds:F1} s");
        });
        var reads = run.DuringFault(RequestKind.Read).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.True(r is { Status: 200, Degraded: false }, $"read answered {r.Status}{(r.Degraded ? ", degraded" : string.Empty)}"));
    }

    [Fact]
    public async Task NatsStoreDiskFull_WritesAre503_NothingAcknowledgedIsLost()
    {
        var plan = new FaultPlan(19, "NATS store disk full", "the NATS store moved onto a disk with 1 MiB free under load (nats-server stops JetStream when it fills); disk freed, restarted",
            c => c.Faults.FillNatsDiskAsync(1L << 20),
            c => c.Faults.FreeNatsDiskAsync())
        {
            Hold = FaultSize.Current.LongHold,
        };

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        var writes = run.DuringFault(RequestKind.Write).ToList();
        Assert.Contains(writes, w => w.Status == 503);
        Assert.All(writes.Where(w => w.Status != 202), w => Assert.Equal(503, w.Status));
        Assert.All(run.DuringFault(RequestKind.Read), r => Assert.Equal(200, r.Status));
    }

    /// <summary>
    /// A machine crash under a single nats-server: its disk kept the store as it was seconds earlier, so the stream
    /// restarts with a shorter tail and hands those sequences out again, while the workers' positions are past them
    /// (nats-server 2.10 restores such a store without a word). The load is drained before the copy and before the
    /// crash, so every event the crash takes was applied: what it must not take is a write acknowledged after it, under
    /// a sequence the workers already applied. The edge, which stayed up, refuses those (503) until the stream is past
    /// what it acknowledged before.
    /// </summary>
    [Fact]
    public async Task NatsStoreLosesItsTail_WritesUnderReusedSequencesAre503_NothingAcknowledgedIsLost()
    {
        RecoveryCounts? before = null;
        var plan = new FaultPlan(20, "NATS store lost its tail", "load drained, the NATS store copied; load again, drained; nats-server killed and started on the copy (a machine crash that lost the writes since)",
            async c =>
            {
                before = await RecoveryCounts.ReadAsync(c.Stack);
                await DrainAsync(c);
                await c.Faults.KeepNatsStoreAsync();
                var kept = (await StreamStateAsync(c.Stack)).LastSeq;
                await c.Faults.ResumeAsync("edge");
                await Task.Delay(c.Size.Hold);
                await DrainAsync(c);
                var handedOut = (await StreamStateAsync(c.Stack)).LastSeq;
                await c.Faults.CrashNatsToKeptStoreAsync();
                var restored = (await StreamStateAsync(c.Stack)).LastSeq;
                Assert.True(restored < handedOut, $"the stream came back at {restored}, not behind {handedOut}");
                c.Notes.Add($"stream restored at sequence {restored} (kept at {kept}; {handedOut - restored:N0} sequences handed out again)");
                await WorkersSeeTheStreamBehindAsync(c.Stack, before);
                await c.Faults.ResumeAsync("edge");
            },
            c => c.Faults.RestartMissingAsync());

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        var after = await RecoveryCounts.ReadAsync(stack);
        Assert.True(after.SequenceReusedSince(before!) > 0, "the edge accepted every write under a reused sequence");
    }

    /// <summary>Both workers, reconnected, find the stream's last sequence below their positions (before any new write lifts it).</summary>
    private static async Task WorkersSeeTheStreamBehindAsync(PrivateStack stack, RecoveryCounts before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] behind;
        do
        {
            await Task.Delay(250);
            var now = await RecoveryCounts.ReadAsync(stack, workersOnly: true);
            behind = [.. new[] { "aggregator", "persister" }.Where(w => now.RewoundSince(before, w) == 0)];
        }
        while (behind.Length > 0 && DateTime.UtcNow < deadline);

        Assert.True(behind.Length == 0, $"not seen as behind by {string.Join(", ", behind)}: stream_rewound_total did not move");
    }

    /// <summary>Pauses the edge and waits until the workers applied everything in the stream.</summary>
    private static async Task DrainAsync(FaultContext c)
    {
        await c.Faults.PauseAsync("edge");
        var drained = await CatchUp.WaitAsync(c.Stack.Bench, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.True(drained.CaughtUp, "the stream did not drain: " + string.Join("; ", drained.Behind));
    }

    /// <summary>
    /// What the server holds of the event stream: a restart that lost its tail shows as a lower last sequence. Asked
    /// again while a just-restarted server's JetStream does not answer yet (it recovers its streams first).
    /// </summary>
    private static async Task<StreamState> StreamStateAsync(PrivateStack stack)
    {
        await using var nats = stack.ConnectNats();
        var js = new NatsJSContext(nats);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await js.GetStreamAsync(new StreamOptions().Name)).Info.State;
            }
            catch (NatsJSApiNoResponseException) when (attempt < JetStreamRecoveryAttempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }
}
