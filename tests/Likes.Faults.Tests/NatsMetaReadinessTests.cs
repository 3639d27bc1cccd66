using System.Text.Json;
using Likes.Faults.Tests.Stack;
using Xunit;

namespace Likes.Faults.Tests;

/// <summary>
/// Which nodes the cluster's start (scripts/cluster.sh) finds the JetStream meta leader has not heard from: it reads
/// each node's <c>/jsz</c> as nats-server 2.10 prints it, and only the meta leader lists the other nodes as replicas.
/// The start is ready when there are none.
/// </summary>
public sealed class NatsMetaReadinessTests
{
    private static readonly string Root = PrivateStack.FindRoot();
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static TheoryData<string, string, object[]?> Views => new()
    {
        { "the leader, both peers current", "", [Peer("likes-n2", current: true, activeMs: 170), Peer("likes-n3", current: true, activeMs: 170)] },
        { "the leader, one peer still catching up", "", [Peer("likes-n2", current: true, activeMs: 170), Peer("likes-n3", current: false, activeMs: 300)] },
        { "the leader, one peer silent for 12 s", "likes-n3", [Peer("likes-n2", current: true, activeMs: 170), Peer("likes-n3", current: false, activeMs: 12_000)] },
        { "the leader, one peer offline", "likes-n3", [Peer("likes-n2", current: true, activeMs: 170), Peer("likes-n3", current: false, activeMs: 0, offline: true)] },
        { "the leader, one peer not known by name yet", "likes-n3", [Peer("likes-n2", current: true, activeMs: 170), Peer("Server name unknown at this time (peerID: CvDWCciH)", current: false, activeMs: 0)] },
        { "the leader, one peer known", "likes-n3", [Peer("likes-n2", current: true, activeMs: 170)] },
        { "the leader, no peer known", "likes-n2 likes-n3", [] },
        { "a follower", "not the leader", null },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task TheStartWaitsFor_ThePeersTheLeaderHasNotHeardLately(string view, string unheard, object[]? replicas)
    {
        var jsz = Jsz(replicas);
        var output = await Scripts.RunAsync(
            Root,
            new Dictionary<string, string>(),
            $"if unheard=\"$(printf '%s\\n' '{jsz}' | nats_meta_unheard likes-n1 likes-n1 likes-n2 likes-n3)\"; then echo $unheard; else echo not the leader; fi",
            TimeSpan.FromSeconds(30));

        Assert.True(output.Trim() == unheard, $"{view}: the start found '{output.Trim()}' unheard, not '{unheard}', in\n{jsz}");
    }

    private static object Peer(string name, bool current, int activeMs, bool offline = false) =>
        offline
            ? new { name, current, offline, active = activeMs * 1_000_000L, peer = "CvDWCciH" }
            : new { name, current, active = activeMs * 1_000_000L, peer = "yI4LaCXq" };

    // The fields and layout nats-server 2.10.27 writes (two-space indent, replicas only on the leader).
    private static string Jsz(object[]? replicas)
    {
        object meta = replicas switch
        {
            null => new { name = "likes", leader = "likes-n2", peer = "neWuhz8g", cluster_size = 3, pending = 0 },
            [] => new { name = "likes", leader = "likes-n1", peer = "neWuhz8g", cluster_size = 3, pending = 0 },
            _ => new { name = "likes", leader = "likes-n1", peer = "neWuhz8g", replicas, cluster_size = 3, pending = 0 },
        };
        return JsonSerializer.Serialize(new { server_id = "NB", meta_cluster = meta }, Indented);
    }
}
