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
            });

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

    /// <summary>What the server holds of the event stream: a restart that lost its tail shows as a lower last sequence.</summary>
    private static async Task<StreamState> StreamStateAsync(PrivateStack stack)
    {
        await using var nats = stack.ConnectNats();
        return (await new NatsJSContext(nats).GetStreamAsync(new StreamOptions().Name)).Info.State;
    }
}
