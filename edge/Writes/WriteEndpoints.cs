using System.Globalization;
using Likes.Edge.Auth;
using Likes.Edge.Ids;
using Likes.Edge.Options;
using Likes.Shared.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Writes;

/// <summary><c>PUT</c> and <c>DELETE /v1/likes/{contentId}</c>: validate, publish, answer 202 once the stream has the event.</summary>
public static class WriteEndpoints
{
    public static RouteGroupBuilder MapWrites(this RouteGroupBuilder v1)
    {
        v1.MapPut("/likes/" + ContentIdRoute.Template, (string contentId, HttpContext http, LikePublisher publisher, IOptions<EdgeOptions> edge)
                => WriteAsync(LikeAction.Like, contentId, http, publisher, edge.Value))
            .RequireRateLimiting(WriteRateLimit.PolicyName);
        v1.MapDelete("/likes/" + ContentIdRoute.Template, (string contentId, HttpContext http, LikePublisher publisher, IOptions<EdgeOptions> edge)
                => WriteAsync(LikeAction.Unlike, contentId, http, publisher, edge.Value))
            .RequireRateLimiting(WriteRateLimit.PolicyName);
        return v1;
    }

    private static async Task<Results<Accepted<LikeAccepted>, ValidationProblem, ProblemHttpResult>> WriteAsync(
        LikeAction action, string contentId, HttpContext http, LikePublisher publisher, EdgeOptions edge)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var validId = ContentIdRoute.TryParse(contentId, out var content, errors);
        var validKey = IdempotencyKey.TryRead(http.Request.Headers, out var key, errors);
        if (!validId || !validKey)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}")));
        }

        var outcome = await publisher.PublishAsync(http.User.UserId(), content, action, key, http.RequestAborted);
        if (outcome == PublishOutcome.KeyReused)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                detail: $"the {IdempotencyKey.Header} was already sent with another write (another content or action); nothing was written: use a fresh key for each intended write");
        }

        if (outcome == PublishOutcome.Unavailable)
        {
            http.Response.Headers.RetryAfter = edge.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                detail: "events stream unavailable: the write is not confirmed durable; retry later, with the same Idempotency-Key if one was sent");
        }

        return TypedResults.Accepted((string?)null, new LikeAccepted(PositiveId.Format(content), action == LikeAction.Like));
    }
}
