namespace Likes.Edge.Limits;

/// <summary>
/// How an oversized request is refused, before any work: its status, a problem body naming the limit, and the
/// connection closed, so the rest of the request is never read.
/// </summary>
public static class OversizedRequest
{
    public static Task RefuseAsync(HttpContext context, IProblemDetailsService problems, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Connection = "close";
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        }).AsTask();
    }
}
