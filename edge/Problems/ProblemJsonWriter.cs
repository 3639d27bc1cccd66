using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Problems;

/// <summary>
/// Writes the problem when the default writer declines because the request's <c>Accept</c> names no JSON type:
/// an error is problem+json whatever the client accepts (RFC 9457), and a refused write would otherwise turn a
/// 4xx into an empty 500. Registered after the default writer, so it only ever takes what that one leaves.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problems, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        context.ProblemDetails.Status ??= response.StatusCode;
        problems.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(response.WriteAsJsonAsync(context.ProblemDetails, context.ProblemDetails.GetType(), json.Value.SerializerOptions, "application/problem+json"));
    }
}
