namespace Likes.Shared.Consuming;

/// <summary>
/// The stream was created again since the loop's session opened: its sequences restart from 1, below the session's
/// position, so events it would take for applied are new. The loop opens its session again (on the new epoch).
/// </summary>
public sealed class StreamRecreatedException(string stream, long sessionEpoch, long streamEpoch)
    : Exception($"stream {stream} was created again (epoch {sessionEpoch} when the session opened, {streamEpoch} now)");
