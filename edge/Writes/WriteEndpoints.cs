using System.Globalization;
using Likes.Edge.Auth;
using Likes.Edge.Ids;
using Likes.Edge.OpenApi;
using Likes.Edge.Options;
using Likes.Shared.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Likes.Edge.Writes;

/// <summary><c>PUT</c> and <c>DELETE /v1/likes/{contentId}</c>: validate, publish, answer 202 once the stream has the event.</summary>
public static class WriteEndpoints
{
    public static RouteGroupBuilder MapWrites(this RouteGroupBuilder v1)
    {
        var writes = v1.MapGroup(string.Empty).WithTags(ApiDescription.WritesTag);
        Write(writes.MapPut("/likes/" + ContentIdRoute.Template, (string contentId, HttpContext http, LikePublisher publisher, IOptions<EdgeOptions> edge)
                => WriteAsync(LikeAction.Like, contentId, http, publisher, edge.Value)))
            .WithName("like")
            .WithSummary("Like a content: 202 once the like event is durably in the stream; liking twice counts once");
        Write(writes.MapDelete("/likes/" + ContentIdRoute.Template, (string contentId, HttpContext http, LikePublisher publisher, IOptions<EdgeOptions> edge)
                => WriteAsync(LikeAction.Unlike, contentId, http, publisher, edge.Value)))
            .WithName("unlike")
            .WithSummary("Unlike a content: 202 once the unlike event is durably in the stream; unliking what was never liked is a no-op");
        return v1;
    }

    private static RouteHandlerBuilder Write(RouteHandlerBuilder endpoint)
        => DocumentedParameters.Documents(endpoint, new DocumentedParameter(IdempotencyKey.Header, ParameterLocation.Header, $"optional: makes a retried write a no-op; {IdempotencyKey.Rule}", Pattern: "^[!-~]{1,64}$"))
            .RequireRateLimiting(WriteRateLimit.PolicyName)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

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
