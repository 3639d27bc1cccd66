using Likes.Shared.Consuming;
using Prometheus;

namespace Likes.Shared.Ownership;

/// <summary>How a worker replica shares the partitions, named <c>likes_{daemon}_…</c>.</summary>
public sealed class LeaseMetrics
{
    private readonly Gauge _held;
    private readonly Gauge _members;
    private readonly Counter _claimed;
    private readonly Counter _lost;
    private readonly Counter _roundsFailed;

    public LeaseMetrics(WorkerIdentity worker)
    {
        var p = $"likes_{worker.Name}_";
        _held = Metrics.CreateGauge(p + "partitions_held", "Partitions whose lease this replica holds.");
        _members = Metrics.CreateGauge(p + "replicas", "Replicas of this worker in the membership this replica last read.");
        _claimed = Metrics.CreateCounter(p + "leases_claimed_total", "Partition leases this replica claimed (at start, or from a replica that left or stopped renewing).");
        _lost = Metrics.CreateCounter(p + "leases_lost_total", "Partition leases this replica found taken by another or could not renew (it was paused or cut off past the TTL).");
        _roundsFailed = Metrics.CreateCounter(p + "lease_rounds_failed_total", "Lease rounds that failed (the stream server unreachable): leases not renewed stop being trusted.");
    }

    public void Held(int partitions, int replicas)
    {
        _held.Set(partitions);
        _members.Set(replicas);
    }

    public void Claimed() => _claimed.Inc();

    public void Lost() => _lost.Inc();

    public void RoundFailed() => _roundsFailed.Inc();

}
