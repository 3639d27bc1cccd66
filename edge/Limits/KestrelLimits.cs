using Likes.Edge.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Limits;

/// <summary>Kestrel refuses oversized requests itself: 414 for the request line, 431 for headers, 413 for a body read past the limit.</summary>
public sealed class KestrelLimits(IOptions<EdgeOptions> edge) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var o = edge.Value;
        options.AddServerHeader = false;
        options.Limits.MaxRequestBodySize = o.MaxRequestBodyBytes;
        options.Limits.MaxRequestLineSize = o.MaxRequestLineBytes;
        options.Limits.MaxRequestHeadersTotalSize = o.MaxRequestHeadersBytes;
    }
}
