using System.Net;

namespace Likes.Edge.Tests;

/// <summary>A body sent without Content-Length (chunked), so only counting what arrives can find it too large.</summary>
public sealed class ChunkedContent(byte[] data) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(data).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
