using Likes.Edge.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Limits;

/// <summary>
/// Kestrel's own limits: the body at the edge's limit (413), the request line and headers at twice the edge's
/// limits. Up to those, <see cref="RequestHeadLimit"/> refuses an oversized request with a problem body; past
/// them Kestrel refuses it while parsing, with an empty body, so nothing unbounded is ever read.
/// </summary>
public sealed class KestrelLimits(IOptions<EdgeOptions> edge) : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>Headroom for the application's answer between its limit and the server's.</summary>
    public const int ServerLimitFactor = 2;

    public void Configure(KestrelServerOptions options)
    {
        var o = edge.Value;
        options.AddServerHeader = false;
        options.Limits.MaxRequestBodySize = o.MaxRequestBodyBytes;
        options.Limits.MaxRequestLineSize = o.MaxRequestLineBytes * ServerLimitFactor;
        options.Limits.MaxRequestHeadersTotalSize = o.MaxRequestHeadersBytes * ServerLimitFactor;
    }
}
