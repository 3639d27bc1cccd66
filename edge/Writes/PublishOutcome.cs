namespace Likes.Edge.Writes;

public enum PublishOutcome
{
    /// <summary>The stream stored the event.</summary>
    Accepted,

    /// <summary>The stream had already stored this Idempotency-Key within its duplicate window: nothing new, still accepted.</summary>
    Duplicate,

    /// <summary>Not durable: no ack in time, no connection, or the stream refused it.</summary>
    Unavailable,

    /// <summary>The Idempotency-Key was sent before with another write: nothing published.</summary>
    KeyReused,
}
