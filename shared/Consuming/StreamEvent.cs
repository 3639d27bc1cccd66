using System.Diagnostics;

namespace Likes.Shared.Consuming;

/// <summary>One message of a partition as the loop handles it, whether delivered by the consumer or read from the stream.</summary>
/// <param name="Trace">The publisher's trace context, when the message was delivered with one.</param>
public readonly record struct StreamEvent(ulong Sequence, string Subject, ReadOnlyMemory<byte> Payload, DateTimeOffset StoredAt, ActivityContext? Trace = null);
