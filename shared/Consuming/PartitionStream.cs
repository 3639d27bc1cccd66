using Likes.Shared.Configuration;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Likes.Shared.Consuming;

/// <summary>
/// A partition's events as the stream itself holds them, independent of what the server's consumer state says
/// was delivered or acked. The consumer loop reads here whatever lies between what it applied and what it was
/// handed; the reheater asks how far the partition goes.
/// </summary>
public sealed class PartitionStream(INatsJSContext js, StreamOptions stream, int partition)
{
    /// <summary>
    /// JetStream's "no message found" (a 404 like "stream not found", which must not read as an empty partition: the
    /// loop would go on with a session of a deleted stream).
    /// </summary>
    private const int NoMessageFound = 10037;

    private readonly string _subject = stream.EventSubject(partition);

    /// <summary>The stream's own message lookup ($JS.API.STREAM.MSG.GET), answered by the stream's leader: always current.</summary>
    private readonly string _get = $"{js.Opts.Prefix}.STREAM.MSG.GET.{stream.Name}";

    /// <summary>The partition's first event after <paramref name="sequence"/>, or null when the stream holds none.</summary>
    public async Task<StreamEvent?> NextAfterAsync(ulong sequence, CancellationToken cancellationToken)
        => await GetAsync(new StreamMsgGetRequest { Seq = sequence + 1, NextBySubj = _subject }, cancellationToken);

    /// <summary>The partition's last event the stream still holds (acked by every consumer means removed), or null.</summary>
    public async Task<StreamEvent?> LastAsync(CancellationToken cancellationToken)
        => await GetAsync(new StreamMsgGetRequest { LastBySubj = _subject }, cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> of the partition's events after <paramref name="after"/>, in order: those before
    /// <paramref name="before"/> when it is given, else those stored before <paramref name="storedBefore"/>.
    /// </summary>
    public async Task<List<StreamEvent>> ReadAsync(ulong after, ulong? before, DateTimeOffset storedBefore, int max, CancellationToken cancellationToken)
    {
        var events = new List<StreamEvent>();
        var next = after;
        while (events.Count < max && await NextAfterAsync(next, cancellationToken) is { } e
               && (before is { } b ? e.Sequence < b : e.StoredAt < storedBefore))
        {
            events.Add(e);
            next = e.Sequence;
        }

        return events;
    }

    private async Task<StreamEvent?> GetAsync(StreamMsgGetRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var m = (await js.JSRequestResponseAsync<StreamMsgGetRequest, StreamMsgGetResponse>(_get, request, cancellationToken)).Message;
            return new StreamEvent(m.Seq, m.Subject, m.Data, m.Time);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == NoMessageFound)
        {
            return null;
        }
    }
}
