using NATS.Client.JetStream.Models;

namespace Likes.Shared.Streams;

/// <summary>
/// Which stream a sequence belongs to: the stream's creation time, in microseconds since the Unix epoch. The
/// server keeps it with the stream (across restarts, on every node of a cluster) and a stream created again gets
/// a new one, later than the last. Microseconds keep it exact in a Lua number (a double) as well as in a bigint.
/// </summary>
public static class StreamEpoch
{
    public static long Of(StreamInfo stream) => (stream.Created.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
