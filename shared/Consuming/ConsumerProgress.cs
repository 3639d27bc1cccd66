using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Likes.Shared.Consuming;

/// <summary>
/// Readiness of a consumer: each partition loop reports when a fetch or apply succeeded, and when it is
/// stuck on a store outage. Ready when every partition held made progress within the stall timeout.
/// </summary>
public sealed class ConsumerProgress(TimeProvider clock) : IHealthCheck
{
    private readonly ConcurrentDictionary<int, (DateTimeOffset At, string? Failing)> _partitions = new();

    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Why no loop runs, when none does: null while that is fine (a replica whose share of the partitions is empty,
    /// there being more replicas than partitions). Unset: no loop running is never fine.
    /// </summary>
    public Func<string?>? WhyIdle { get; set; }

    public void Progressed(int partition) => _partitions[partition] = (clock.GetUtcNow(), null);

    /// <summary>The partition's loop ended (its lease handed over or lost): it no longer counts.</summary>
    public void Forget(int partition) => _partitions.TryRemove(partition, out _);

    public void Failing(int partition, string reason)
        => _partitions.AddOrUpdate(partition, _ => (clock.GetUtcNow(), reason), (_, old) => (old.At, reason));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_partitions.IsEmpty)
        {
            var why = WhyIdle is { } idle ? idle() : "no partition consumer has started";
            return Task.FromResult(why is null ? HealthCheckResult.Healthy("no partition to consume") : HealthCheckResult.Unhealthy(why));
        }

        var now = clock.GetUtcNow();
        foreach (var (partition, state) in _partitions)
        {
            if (state.Failing is { } reason)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"partition {partition}: {reason}"));
            }

            if (now - state.At > StallTimeout)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"partition {partition}: no progress for {(now - state.At).TotalSeconds:F0}s"));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{_partitions.Count} partitions consuming"));
    }
}
