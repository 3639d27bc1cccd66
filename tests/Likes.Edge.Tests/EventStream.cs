using System.Text;
using Likes.Fixtures;
using Likes.Shared.Events;
using NATS.Client.JetStream.Models;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// Reads the fixture's event stream directly. Interest retention keeps every event until the aggregator and
/// persister consumers ack it, and nothing consumes here, so the stream holds all that was published.
/// </summary>
public sealed class EventStream(StackFixture stack)
{
    public async Task<StreamPosition> PositionAsync()
    {
        var stream = await stack.JetStream.GetStreamAsync(stack.Stream.Name);
        return new StreamPosition(stream.Info.State.Messages, stream.Info.State.LastSeq);
    }

    /// <summary>Every event stored after <paramref name="before"/>, in stream order.</summary>
    public async Task<IReadOnlyList<StoredEvent>> SinceAsync(StreamPosition before)
    {
        var stream = await stack.JetStream.GetStreamAsync(stack.Stream.Name);
        var events = new List<StoredEvent>();
        for (var seq = before.LastSequence + 1; seq <= stream.Info.State.LastSeq; seq++)
        {
            var stored = (await stream.GetAsync(new StreamMsgGetRequest { Seq = seq })).Message;
            Assert.True(LikeEventCodec.TryDecode(stored.Data.Span, out var e, out var reason), reason);
            events.Add(new StoredEvent(stored.Seq, stored.Subject, e, ParseHeaders(stored.Hdrs)));
        }

        return events;
    }

    /// <summary>Asserts the stream is exactly as it was: no message added, none removed.</summary>
    public async Task AssertUnchangedAsync(StreamPosition before)
        => Assert.Equal(before, await PositionAsync());

    // The stored headers are the raw NATS header block ("NATS/1.0\r\nName: value\r\n…"), base64-encoded.
    private static Dictionary<string, string> ParseHeaders(string? hdrs)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(hdrs))
        {
            return headers;
        }

        foreach (var line in Encoding.ASCII.GetString(Convert.FromBase64String(hdrs)).Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }
}

public readonly record struct StreamPosition(long Messages, ulong LastSequence);

public sealed record StoredEvent(ulong Sequence, string Subject, LikeEvent Event, IReadOnlyDictionary<string, string> Headers);
