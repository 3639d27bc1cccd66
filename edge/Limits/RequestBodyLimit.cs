using System.Buffers;
using Likes.Edge.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Limits;

/// <summary>
/// 413 for a body over <see cref="EdgeOptions.MaxRequestBodyBytes"/>, before authentication or any other work.
/// A declared length is checked at once; a chunked body is read (no endpoint uses a body) and counted.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<EdgeOptions> edge, IProblemDetailsService problems)
{
    private readonly long _max = edge.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var fits = context.Request.ContentLength switch
        {
            { } length => length <= _max,
            null when context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true => await FitsAsync(context),
            null => true,
        };
        if (fits)
        {
            await next(context);
            return;
        }

        await OversizedRequest.RefuseAsync(context, problems, StatusCodes.Status413PayloadTooLarge, $"the request body may be at most {_max} bytes");
    }

    private async Task<bool> FitsAsync(HttpContext context)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                total += read;
                if (total > _max)
                {
                    return false;
                }
            }

            return true;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
