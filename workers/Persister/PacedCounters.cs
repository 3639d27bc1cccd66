using System.Diagnostics;
using Likes.Shared;
using Microsoft.Extensions.Options;

namespace Likes.Persister;

/// <summary>
/// Writes committed counts to Redis, each content's counter at most once per <see cref="PersisterOptions.CounterWriteInterval"/>:
/// a hot content's counter (one key, one shard) takes a bounded write rate at any like rate, and still shows the
/// exact count within an interval of its last commit. A content not written within the interval is written at once.
/// A hosted service, stopped after the commit group, so counts still waiting at shutdown are written.
/// </summary>
public sealed class PacedCounters : BackgroundService
{
    /// <summary>How often per interval the waiting counts are checked: a waiting count lands at most a fifth of an interval after its slot.</summary>
    private const int ChecksPerInterval = 5;

    private readonly Lock _lock = new();
    private readonly CounterPacing _pacing;
    private readonly CommittedCounters _counters;
    private readonly PersisterOptions _options;

    public PacedCounters(CommittedCounters counters, IOptions<PersisterOptions> options)
    {
        _counters = counters;
        _options = options.Value;
        _pacing = new CounterPacing((long)(_options.CounterWriteInterval.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>Writes the counts whose content has a free slot now; the others wait for theirs. Never throws.</summary>
    public Task WriteAsync(IReadOnlyList<KeyValuePair<long, CounterValue>> counts)
    {
        List<KeyValuePair<long, CounterValue>> due;
        lock (_lock)
        {
            due = _pacing.Admit(counts, Stopwatch.GetTimestamp());
        }

        return _counters.WriteAsync(due);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CounterWriteInterval / ChecksPerInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                List<KeyValuePair<long, CounterValue>> due;
                lock (_lock)
                {
                    due = _pacing.Release(Stopwatch.GetTimestamp());
                }

                await _counters.WriteAsync(due);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what still waits is written below.
        }

        List<KeyValuePair<long, CounterValue>> left;
        lock (_lock)
        {
            left = _pacing.Drain();
        }

        await _counters.WriteAsync(left);
    }
}
