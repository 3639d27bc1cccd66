using Microsoft.AspNetCore.WebUtilities;

namespace Likes.Edge.Problems;

/// <summary>
/// Every error is <c>application/problem+json</c> (RFC 9457) with type, title, status and detail: thrown
/// exceptions (never with a stack trace), bare status codes (404, 405) and the edge's own answers alike.
/// </summary>
public static class ProblemResponses
{
    public static IServiceCollection AddEdgeProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Complete);
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        return services;
    }

    public static WebApplication UseEdgeProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Kestrel's own rejections (body too large, bad framing) keep their status instead of becoming 500.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }

    private static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Type ??= status switch
        {
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
            StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
            _ => "about:blank",
        };
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Detail ??= status switch
        {
            StatusCodes.Status404NotFound => "there is no such resource",
            StatusCodes.Status405MethodNotAllowed => "this method is not allowed on this resource",
            StatusCodes.Status500InternalServerError => "an unexpected error occurred; it has been logged",
            _ => problem.Title,
        };
    }
}
