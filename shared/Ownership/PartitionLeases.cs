using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Likes.Shared.Ownership;

/// <summary>
/// Decides which partitions this worker replica applies, with the other replicas of the same worker, through the
/// lease bucket (<see cref="StreamOptions.LeaseBucket"/>). Every <see cref="LeaseOptions.Renew"/> it renews its line
/// in the membership key, works out its share (<see cref="PartitionAssignment"/>), renews the leases it holds, claims
/// free or expired ones of its share and hands over those no longer its share once their loop stopped. Every write is
/// a compare-and-set on the key's revision, so two replicas never both hold a lease. Replicas come and go (a rolling
/// update, a scale change) without configuration: the membership says who is there.
/// </summary>
public sealed partial class PartitionLeases : BackgroundService
{
    private readonly INatsJSContext _js;
    private readonly StreamOptions _stream;
    private readonly LeaseOptions _options;
    private readonly WorkerIdentity _worker;
    private readonly TimeProvider _clock;
    private readonly LeaseMetrics _metrics;
    private readonly ILogger<PartitionLeases> _logger;
    private readonly PartitionTenure[] _tenures;
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private INatsKVStore? _bucket;

    public PartitionLeases(INatsJSContext js, IOptions<StreamOptions> stream, IOptions<LeaseOptions> options, WorkerIdentity worker, TimeProvider clock, LeaseMetrics metrics, ILogger<PartitionLeases> logger)
    {
        _js = js;
        _stream = stream.Value;
        _options = options.Value;
        _worker = worker;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _tenures = [.. Enumerable.Range(0, _stream.Partitions).Select(p => new PartitionTenure(p, _options.Trust, clock))];
        Holder = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This replica's name in the membership and on its leases: the host name and a random suffix, new at every start.</summary>
    public string Holder { get; }

    /// <summary>The partitions this replica should hold by the last membership it read.</summary>
    public IReadOnlySet<int> Share { get; private set; } = new HashSet<int>();

    /// <summary>True once a round has run: the replica is a member and knows its share.</summary>
    public bool Joined => _firstRound.Task.IsCompletedSuccessfully;

    public PartitionTenure Tenure(int partition) => _tenures[partition];

    public IReadOnlyList<PartitionTenure> Tenures => _tenures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _bucket ??= await new NatsKVContext(_js).GetStoreAsync(_stream.LeaseBucket, stoppingToken);
                await RoundAsync(_bucket, stoppingToken);
                _firstRound.TrySetResult();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Leases not renewed stop being trusted on their own (LeaseOptions.Trust): nothing else to undo.
                _bucket = null;
                _metrics.RoundFailed();
                RoundFailed(_logger, ex, _worker.Name);
            }

            await Pause.ForAsync(_options.Renew, stoppingToken, _clock);
        }
    }

    /// <summary>Stopped after the consumer loops: every lease is released and the replica leaves, so successors start at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_bucket is not { } bucket)
        {
            return;
        }

        try
        {
            foreach (var tenure in _tenures.Where(t => t.Holding && !t.Running))
            {
                await bucket.TryDeleteAsync(LeaseKey(tenure.Partition), new NatsKVDeleteOpts { Revision = tenure.Revision }, cancellationToken);
                tenure.Lose();
            }

            await UpdateMembershipAsync(bucket, m => m.Leave(Holder), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not released: the successors wait out the TTL.
            ReleaseFailed(_logger, ex, _worker.Name);
        }
    }

    public override void Dispose()
    {
        foreach (var tenure in _tenures)
        {
            tenure.Dispose();
        }

        base.Dispose();
    }

    private async Task RoundAsync(INatsKVStore bucket, CancellationToken cancellationToken)
    {
        var startedAt = _clock.GetTimestamp();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var expires = now + (long)_options.Ttl.TotalMilliseconds;
        var members = await UpdateMembershipAsync(bucket, m => m.Renew(Holder, expires, now), cancellationToken);
        Share = PartitionAssignment.For(members, Holder, _stream.Partitions);
        foreach (var tenure in _tenures)
        {
            await KeepAsync(bucket, tenure, startedAt, now, new LeaseRecord(Holder, expires), cancellationToken);
        }

        _metrics.Held(_tenures.Count(t => t.Holding), members.Count);
    }

    private async Task KeepAsync(INatsKVStore bucket, PartitionTenure tenure, long startedAt, long now, LeaseRecord mine, CancellationToken cancellationToken)
    {
        var key = LeaseKey(tenure.Partition);
        var read = await bucket.TryGetEntryAsync<byte[]>(key, cancellationToken: cancellationToken);
        if (!read.Success && read.Error is not (NatsKVKeyNotFoundException or NatsKVKeyDeletedException))
        {
            throw read.Error;
        }

        LeaseRecord? current = read.Success && LeaseRecord.TryParse(read.Value.Value, out var record) ? record : null;
        var ours = current?.Holder == Holder;
        var wanted = Share.Contains(tenure.Partition);
        if (tenure.Holding && (!ours || read.Value.Revision != tenure.Revision))
        {
            // Taken while this replica could not renew it (it was paused or cut off past the TTL).
            tenure.Lose();
            _metrics.Lost();
            Lost(_logger, _worker.Name, tenure.Partition, current?.Holder);
        }

        if (ours && tenure.Holding && !wanted && !tenure.Running)
        {
            // Handed over: its loop finished the batch in hand; the next holder may start now, not at the TTL.
            tenure.Release();
            if ((await bucket.TryDeleteAsync(key, new NatsKVDeleteOpts { Revision = tenure.Revision }, cancellationToken)).Success)
            {
                tenure.Lose();
                HandedOver(_logger, _worker.Name, tenure.Partition);
            }

            return;
        }

        if (ours && tenure.Holding)
        {
            var renewed = await bucket.TryUpdateAsync(key, mine.ToBytes(), tenure.Revision, cancellationToken: cancellationToken);
            if (renewed.Success)
            {
                tenure.Renewed(startedAt, renewed.Value);
                if (wanted)
                {
                    tenure.Resume();
                }
                else
                {
                    // Still renewed while its loop finishes the batch in hand.
                    tenure.Release();
                }
            }
            else if (renewed.Error is NatsKVWrongLastRevisionException)
            {
                tenure.Lose();
                _metrics.Lost();
                Lost(_logger, _worker.Name, tenure.Partition, null);
            }
            else
            {
                throw renewed.Error;
            }

            return;
        }

        if (wanted && (current is null || current.Value.ExpiredAt(now)))
        {
            var claimed = current is null
                ? await bucket.TryCreateAsync(key, mine.ToBytes(), cancellationToken: cancellationToken)
                : await bucket.TryUpdateAsync(key, mine.ToBytes(), read.Value.Revision, cancellationToken: cancellationToken);
            if (claimed.Success)
            {
                tenure.Renewed(startedAt, claimed.Value);
                _metrics.Claimed();
                Claimed(_logger, _worker.Name, tenure.Partition, current?.Holder);
            }
        }
    }

    /// <summary>Reads, changes and writes back the membership by compare-and-set, again if another replica wrote in between.</summary>
    private async Task<IReadOnlyList<string>> UpdateMembershipAsync(INatsKVStore bucket, Func<Membership, Membership> change, CancellationToken cancellationToken)
    {
        var key = $"{_worker.Name}.members";
        while (true)
        {
            var read = await bucket.TryGetEntryAsync<byte[]>(key, cancellationToken: cancellationToken);
            var membership = change(read.Success ? Membership.Parse(read.Value.Value) : new Membership());
            var written = read.Success
                ? await bucket.TryUpdateAsync(key, membership.ToBytes(), read.Value.Revision, cancellationToken: cancellationToken)
                : await bucket.TryCreateAsync(key, membership.ToBytes(), cancellationToken: cancellationToken);
            if (written.Success)
            {
                return membership.Members;
            }

            if (written.Error is not (NatsKVWrongLastRevisionException or NatsKVCreateException))
            {
                throw written.Error;
            }
        }
    }

    private string LeaseKey(int partition) => $"{_worker.Name}.p{partition}";

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "{Worker} claimed partition {Partition} (previous holder: {Previous})")]
    private static partial void Claimed(ILogger logger, string worker, int partition, string? previous);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "{Worker} handed partition {Partition} over")]
    private static partial void HandedOver(ILogger logger, string worker, int partition);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "{Worker} lost partition {Partition} (now held by {Holder}): it stopped applying it")]
    private static partial void Lost(ILogger logger, string worker, int partition, string? holder);

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning, Message = "{Worker} could not renew its leases; those not renewed within the trust period stop being applied")]
    private static partial void RoundFailed(ILogger logger, Exception exception, string worker);

    [LoggerMessage(EventId = 124, Level = LogLevel.Warning, Message = "{Worker} could not release its leases at shutdown; successors wait for them to expire")]
    private static partial void ReleaseFailed(ILogger logger, Exception exception, string worker);
}
