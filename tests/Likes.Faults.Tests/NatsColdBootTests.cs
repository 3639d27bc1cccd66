using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// The cluster's start (scripts/cluster.sh) ends with a JetStream meta leader that hears both other nodes, even when
/// a live node is left out of the meta group: the start restarts the node the leader does not hear. Three real
/// nats-server nodes on private ports, in a folder of their own.
/// </summary>
public sealed class NatsColdBootTests(ITestOutputHelper output)
{
    private static readonly string Root = PrivateStack.FindRoot();

    [Fact]
    public async Task ANodeTheMetaLeaderDoesNotHear_IsRestartedByTheStart_AndJoins()
    {
        // A stopped follower stands in for the node nats-server 2.10 sometimes leaves out at a cold boot: alive, and
        // not heard by the leader. The start's settle step must bring it in, not wait it out.
        var log = await RunAsync(
            "cold-boot-unheard",
            """
            nats_cluster_start >/dev/null
            leader="$(curl -fsS "http://127.0.0.1:$(_nth 1 "$LIKES_NATS_MONITOR_PORTS")/jsz" | sed -n 's/.*"leader": *"likes-n\([0-9]\)".*/\1/p')"
            follower=$((leader % 3 + 1))
            stopped="$(_pid_of "$(_pid_file "nats-$follower")")"
            kill -STOP "$stopped"
            some_unheard() { [[ -n "$(_nats_meta_unheard)" ]]; }
            wait_for "the leader to stop hearing likes-n$follower" 20 some_unheard
            echo "stopped likes-n$follower"
            LIKES_NATS_META_WAIT=5 nats_meta_settle && _nats_meta_peers_live && echo "settled"
            """,
            TimeSpan.FromMinutes(2));

        Assert.Contains("settled", log);
        Assert.Matches(@"likes-n\d not heard by the meta leader", log);
    }

    [FullRunFact]
    public async Task ColdBoots_EachEndWithAMetaLeaderThatHearsBothNodes()
    {
        var boots = int.Parse(Environment.GetEnvironmentVariable("LIKES_NATS_BOOTS") ?? "40");
        var log = await RunAsync(
            "cold-boots",
            $$"""
            restarted=0
            for ((k = 1; k <= {{boots}}; k++)); do
                nats_cluster_stop >/dev/null
                rm -rf "$(_local_dir)/nats/n1" "$(_local_dir)/nats/n2" "$(_local_dir)/nats/n3"
                out="$(nats_cluster_start 2>&1)" || { printf '%s\n' "$out"; echo "boot $k failed"; exit 1; }
                if [[ "$out" == *"not heard by the meta leader"* ]]; then restarted=$((restarted + 1)); printf '%s\n' "$out"; fi
                _nats_meta_peers_live || { echo "boot $k: the leader does not hear both nodes"; exit 1; }
            done
            echo "{{boots}} cold boots, $restarted needed a node restarted"
            """,
            TimeSpan.FromMinutes(boots * 0.75 + 2));

        output.WriteLine(log);
        Assert.Contains($"{boots} cold boots", log);
    }

    // Runs the commands against a private three-node NATS cluster, stopped (and any stopped node resumed) on exit.
    private static async Task<string> RunAsync(string name, string commands, TimeSpan timeout)
    {
        var ports = new StackPorts(cluster: true);
        var dir = $".local/faults-{name}";
        var environment = new Dictionary<string, string>
        {
            ["LIKES_CLUSTER"] = "on",
            ["LIKES_CLUSTER_LOCAL_DIR"] = dir,
            ["LIKES_NATS_PORTS"] = StackPorts.List(ports.Nats),
            ["LIKES_NATS_MONITOR_PORTS"] = StackPorts.List(ports.NatsMonitor),
            ["LIKES_NATS_ROUTE_PORTS"] = StackPorts.List(ports.NatsRoutes),
        };
        return await Scripts.RunAsync(
            Root,
            environment,
            $$"""
            cluster_mode_on
            rm -rf "{{dir}}" && mkdir -p "{{dir}}" && credentials_ensure
            resume_all() { for n in 1 2 3; do kill -CONT "$(_pid_of "$(_pid_file "nats-$n")" 2>/dev/null)" 2>/dev/null || true; done; }
            trap 'resume_all; nats_cluster_stop >/dev/null 2>&1' EXIT
            {{commands}}
            """,
            timeout);
    }
}
