using System.Globalization;
using System.Text.RegularExpressions;
using Likes.Bench.Load;
using Likes.Faults.Tests.Load;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Likes.Fixtures;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Likes.Shared.Partitioning;
using NATS.Client.JetStream;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// The same write twice: retried through the edge with its Idempotency-Key, and published twice straight
/// onto the stream with one Nats-Msg-Id. Stored once: a like retried after the user's unlike must not
/// bring the like back.
/// </summary>
[Collection(PrivateStackCollection.Name)]
public sealed partial class DuplicatePublishTests(PrivateStack stack, ITestOutputHelper output)
{
    private static readonly StreamOptions Stream = new();

    [Fact]
    public async Task ARetriedLikeAfterAnUnlike_IsDeduplicated_ThroughTheEdgeAndOnTheStream()
    {
        var deduplicatedBefore = await EdgeDeduplicatedAsync();
        var repeats = new List<(int Status, bool Duplicate)>();
        var plan = new FaultPlan(12, "duplicate publishes", "like, unlike, the like again with its Idempotency-Key (edge) or Nats-Msg-Id (stream); 30 % of the load's writes sent twice",
            c => DuplicateAsync(c, repeats),
            _ => Task.CompletedTask)
        {
            Shape = LoadShape.Default with { RetryShare = 0.3 },
        };

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        Assert.All(repeats, r => Assert.True(r is { Status: 202, Duplicate: true }, $"a repeated write answered {r.Status}, duplicate {r.Duplicate}"));
        Assert.True(await EdgeDeduplicatedAsync() - deduplicatedBefore >= FaultSize.Current.DuplicatePairs, "the edge counted fewer deduplicated writes than it was sent");
    }

    /// <summary>For each spare user: like, unlike, then the like again, all acknowledged; the last one must change nothing.</summary>
    private static async Task DuplicateAsync(FaultContext context, List<(int Status, bool Duplicate)> repeats)
    {
        await using var nats = context.Stack.ConnectNats();
        var js = new NatsJSContext(nats);
        using var edge = new EdgeClient(context.Stack.Edge, Tokens.DevelopmentKey, 4);
        for (var i = 0; i < context.Size.DuplicatePairs; i++)
        {
            var user = context.SpareUser(i);
            var content = context.IdBase + i;
            if (i % 2 == 0)
            {
                var key = $"dup-{user}";
                Assert.Equal(202, (await edge.WriteAsync(user, content, like: true, key, CancellationToken.None)).Status);
                context.History.Record(user, content, like: true, Outcome.Acknowledged);
                Assert.Equal(202, (await edge.WriteAsync(user, content, like: false, key + "-unlike", CancellationToken.None)).Status);
                context.History.Record(user, content, like: false, Outcome.Acknowledged);
                // Deduplicated by the stream: the edge answers 202 and publishes nothing new.
                repeats.Add(((await edge.WriteAsync(user, content, like: true, key, CancellationToken.None)).Status, true));
            }
            else
            {
                var like = new LikeEvent(Guid.CreateVersion7(), user, content, LikeAction.Like, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                var unlike = like with { EventId = Guid.CreateVersion7(), Action = LikeAction.Unlike, AcceptedAtMs = like.AcceptedAtMs + 1 };
                var subject = Stream.EventSubject(Partitioner.PartitionOf(user, Stream.Partitions));
                var msgId = new NatsJSPubOpts { MsgId = $"dup-{like.EventId:N}" };
                (await js.PublishAsync(subject, LikeEventCodec.Encode(like), opts: msgId)).EnsureSuccess();
                context.History.Record(user, content, like: true, Outcome.Acknowledged);
                (await js.PublishAsync(subject, LikeEventCodec.Encode(unlike))).EnsureSuccess();
                context.History.Record(user, content, like: false, Outcome.Acknowledged);
                var again = await js.PublishAsync(subject, LikeEventCodec.Encode(like), opts: msgId);
                repeats.Add((202, again.Duplicate));
            }
        }

        context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{repeats.Count} likes repeated after their unlike"));
    }

    private async Task<double> EdgeDeduplicatedAsync()
    {
        using var http = new HttpClient { BaseAddress = stack.Edge };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = DeduplicatedTotal().Match(metrics);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^likes_edge_events_deduplicated_total (\S+)$", RegexOptions.Multiline)]
    private static partial Regex DeduplicatedTotal();
}
