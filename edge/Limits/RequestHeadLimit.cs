using Likes.Edge.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Limits;

/// <summary>
/// 414 for a request line over <see cref="EdgeOptions.MaxRequestLineBytes"/> and 431 for headers over
/// <see cref="EdgeOptions.MaxRequestHeadersBytes"/>, as problem+json like every other error, before
/// authentication or any other work. Kestrel's own limits sit above these (<see cref="KestrelLimits"/>): past
/// them it cannot even parse the request and answers with an empty body.
/// </summary>
public sealed class RequestHeadLimit(RequestDelegate next, IOptions<EdgeOptions> edge, IProblemDetailsService problems)
{
    private readonly int _maxLine = edge.Value.MaxRequestLineBytes;
    private readonly int _maxHeaders = edge.Value.MaxRequestHeadersBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
        // "METHOD target HTTP/1.1", and each header line "name: value", as Kestrel counts them (CRLF included).
        var line = request.Method.Length + 1 + request.RawTarget.Length + 1 + request.Protocol.Length + 2;
        if (line > _maxLine)
        {
            await OversizedRequest.RefuseAsync(context, problems, StatusCodes.Status414UriTooLong, $"the request line may be at most {_maxLine} bytes");
            return;
        }

        var headers = 0L;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                headers += name.Length + 2 + (value?.Length ?? 0) + 2;
            }
        }

        if (headers > _maxHeaders)
        {
            await OversizedRequest.RefuseAsync(context, problems, StatusCodes.Status431RequestHeaderFieldsTooLarge, $"the request headers may be at most {_maxHeaders} bytes in total");
            return;
        }

        await next(context);
    }
}
