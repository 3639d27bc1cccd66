using Likes.Shared.Consuming;
using Prometheus;

namespace Likes.Shared.Ownership;

/// <summary>How a worker replica shares the partitions: one metric per fact, the worker a label.</summary>
public sealed class LeaseMetrics
{
    private readonly Gauge.Child _held;
    private readonly Gauge.Child _members;
    private readonly Counter.Child _claimed;
    private readonly Counter.Child _lost;
    private readonly Counter.Child _roundsFailed;

    public LeaseMetrics(WorkerIdentity worker)
    {
        const string w = "worker";
        var name = worker.Name;
        _held = Metrics.CreateGauge("likes_partitions_held", "Partitions whose lease this replica holds, by worker.", w).WithLabels(name);
        _members = Metrics.CreateGauge("likes_worker_replicas", "Replicas of the worker in the membership this replica last read, by worker.", w).WithLabels(name);
        _claimed = Metrics.CreateCounter("likes_leases_claimed_total", "Partition leases this replica claimed (at start, or from a replica that left or stopped renewing), by worker.", w).WithLabels(name);
        _lost = Metrics.CreateCounter("likes_leases_lost_total", "Partition leases this replica found taken by another or could not renew (it was paused or cut off past the TTL), by worker.", w).WithLabels(name);
        _roundsFailed = Metrics.CreateCounter("likes_lease_rounds_failed_total", "Lease rounds that failed (the stream server unreachable): leases not renewed stop being trusted; by worker.", w).WithLabels(name);
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
