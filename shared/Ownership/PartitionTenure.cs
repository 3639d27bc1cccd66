namespace Likes.Shared.Ownership;

/// <summary>
/// One partition's lease as this replica holds it, shared by the lease keeper (<see cref="PartitionLeases"/>) and the
/// partition's consumer loop. The loop waits for the lease, runs until it is ending (handed over or lost), and checks
/// <see cref="Valid"/> before every apply and ack: a holder that could not renew (paused, cut off) stops trusting its
/// lease at half the TTL, well before anyone else may take it at the TTL.
/// </summary>
public sealed class PartitionTenure(int partition, TimeSpan trust, TimeProvider clock) : IDisposable
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _renewed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _ending = new();
    private long _renewedAt;
    private bool _holding;
    private bool _running;

    public int Partition => partition;

    /// <summary>The lease key's revision this replica last wrote: the next renewal or release must find it unchanged.</summary>
    public ulong Revision { get; private set; }

    public bool Holding
    {
        get
        {
            lock (_gate)
            {
                return _holding;
            }
        }
    }

    /// <summary>True while the loop is between <see cref="StartAsync"/> and <see cref="Stopped"/>.</summary>
    public bool Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>This replica may apply and ack the partition now: it holds the lease and renewed it within the trust period.</summary>
    public bool Valid
    {
        get
        {
            lock (_gate)
            {
                return _holding && clock.GetElapsedTime(_renewedAt) < trust;
            }
        }
    }

    /// <summary>
    /// Waits until this replica holds the lease and trusts it; the token returned ends when it is handed over or lost.
    /// </summary>
    public async Task<CancellationToken> StartAsync(CancellationToken stopping)
    {
        while (true)
        {
            Task renewed;
            lock (_gate)
            {
                if (_holding && !_ending.IsCancellationRequested && clock.GetElapsedTime(_renewedAt) < trust)
                {
                    _running = true;
                    return _ending.Token;
                }

                renewed = _renewed.Task;
            }

            await renewed.WaitAsync(stopping);
        }
    }

    /// <summary>The loop ended (between batches): a lease being handed over can now be released.</summary>
    public void Stopped()
    {
        lock (_gate)
        {
            _running = false;
        }
    }

    /// <summary>Claimed (or renewed) by a write that started at <paramref name="startedAt"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public void Renewed(long startedAt, ulong revision)
    {
        lock (_gate)
        {
            if (!_holding)
            {
                _holding = true;
                if (_ending.IsCancellationRequested)
                {
                    _ending = new CancellationTokenSource();
                }
            }

            _renewedAt = startedAt;
            Revision = revision;
            Signal();
        }
    }

    /// <summary>Wanted again after a hand-over was asked for but before it happened: the loop may start again.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (_holding && !_running && _ending.IsCancellationRequested)
            {
                _ending = new CancellationTokenSource();
                Signal();
            }
        }
    }

    /// <summary>To be handed over: the loop finishes the batch in hand and stops; the lease is still renewed meanwhile.</summary>
    public void Release()
    {
        CancellationTokenSource ending;
        lock (_gate)
        {
            ending = _ending;
        }

        End(ending);
    }

    /// <summary>No longer held (released, or found taken or unrenewable): the loop must stop at once.</summary>
    public void Lose()
    {
        CancellationTokenSource ending;
        lock (_gate)
        {
            if (!_holding)
            {
                return;
            }

            _holding = false;
            ending = _ending;
        }

        End(ending);
    }

    /// <summary>Wakes a loop waiting in <see cref="StartAsync"/> to look again. Called under the lock.</summary>
    private void Signal()
    {
        _renewed.TrySetResult();
        _renewed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Ends a tenure without running what waits on it here: the lease keeper must never wait for a loop (a fetch's
    /// cancellation can block on the connection the keeper needs). A replaced source is left to the collector, not
    /// disposed, since its cancellation may still be running.
    /// </summary>
    private static void End(CancellationTokenSource ending)
    {
        if (!ending.IsCancellationRequested)
        {
            _ = ending.CancelAsync();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _ending.Dispose();
        }
    }
}
