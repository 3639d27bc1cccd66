namespace Likes.Reconciler;

/// <summary>
/// The runs this process made (what its jobs returned), for the process's own view: tests and a debugger read
/// it; operators read the metrics. Keeps the newest few reports and totals since start.
/// </summary>
public sealed class RunLog
{
    private const int Kept = 32;

    private readonly Lock _lock = new();
    private readonly Queue<ReconcileReport> _recent = new();
    private readonly Dictionary<string, int> _runs = [];
    private long _redisRepaired;
    private long _postgresRepaired;
    private long _drift;

    public void Add(ReconcileReport report)
    {
        lock (_lock)
        {
            _recent.Enqueue(report);
            if (_recent.Count > Kept)
            {
                _recent.Dequeue();
            }

            _runs[report.Job] = _runs.GetValueOrDefault(report.Job) + 1;
            _redisRepaired += report.RedisRepaired;
            _postgresRepaired += report.PostgresRepaired;
            _drift += report.RedisDrift + report.PostgresDrift;
        }
    }

    public int Runs(string job)
    {
        lock (_lock)
        {
            return _runs.GetValueOrDefault(job);
        }
    }

    public (long Redis, long Postgres) Repaired
    {
        get
        {
            lock (_lock)
            {
                return (_redisRepaired, _postgresRepaired);
            }
        }
    }

    public long DriftFound
    {
        get
        {
            lock (_lock)
            {
                return _drift;
            }
        }
    }

    public IReadOnlyList<ReconcileReport> Recent
    {
        get
        {
            lock (_lock)
            {
                return [.. _recent];
            }
        }
    }
}
