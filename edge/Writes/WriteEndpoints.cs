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

/// <summary>
/// <c>PUT</c> and <c>DELETE /v1/likes/{contentId}</c>: validate, make durable (the stream, or <see cref="WritePath"/>), answer
/// 202 (a like of a deleted content: 410). And a content's deletion, service to service.
/// </summary>
public static class WriteEndpoints
{
    public static RouteGroupBuilder MapWrites(this RouteGroupBuilder v1)
    {
        var endpoints = v1.MapGroup(string.Empty).WithTags(ApiDescription.WritesTag);
        Write(endpoints.MapPut("/likes/" + ContentIdRoute.Template, (string contentId, HttpContext http, ILikeWrites writes, DeletedContents deletions, IOptions<EdgeOptions> edge)
                => WriteAsync(LikeAction.Like, contentId, http, writes, deletions, edge.Value)))
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithName("like")
            .WithSummary("Like a content: 202 once the like event is durably in the stream; liking twice counts once; a deleted content: 410");
        Write(endpoints.MapDelete("/likes/" + ContentIdRoute.Template, (string contentId, HttpContext http, ILikeWrites writes, DeletedContents deletions, IOptions<EdgeOptions> edge)
                => WriteAsync(LikeAction.Unlike, contentId, http, writes, deletions, edge.Value)))
            .WithName("unlike")
            .WithSummary("Unlike a content: 202 once the unlike event is durably in the stream; unliking what was never liked is a no-op");
        endpoints.MapDelete("/contents/" + ContentIdRoute.Template, DeleteContentAsync)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("deleteContent")
            .WithSummary("Delete a content (service to service, the likes.admin role): count 0 and liked false everywhere, its likes removed");
        return v1;
    }

    private static RouteHandlerBuilder Write(RouteHandlerBuilder endpoint)
        => DocumentedParameters.Documents(endpoint, new DocumentedParameter(IdempotencyKey.Header, ParameterLocation.Header, $"optional: makes a retried write a no-op; {IdempotencyKey.Rule}", Pattern: "^[!-~]{1,64}$"))
            .RequireWriteRateLimit()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// <c>DELETE /v1/contents/{contentId}</c>, service to service: only a token with the admin role. One event on the
    /// content's partition; the persister marks the content deleted (every read answers count 0, liked false; a like of
    /// it is refused) and removes its likes in bounded batches. Repeating it changes nothing.
    /// </summary>
    private static async Task<Results<Accepted<ContentDeleted>, ValidationProblem, ProblemHttpResult>> DeleteContentAsync(
        string contentId, HttpContext http, LikePublisher publisher, IOptions<EdgeOptions> edge)
    {
        if (!http.User.HasClaim(edge.Value.Jwt.RolesClaim, JwtOptions.AdminRole))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: $"deleting a content needs a service token with the role '{JwtOptions.AdminRole}'");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ContentIdRoute.TryParse(contentId, out var content, errors))
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}")));
        }

        return await publisher.PublishAsync(0, content, LikeAction.DeleteContent, null, http.RequestAborted) == PublishOutcome.Unavailable
            ? Unavailable(http, edge.Value)
            : TypedResults.Accepted((string?)null, new ContentDeleted(PositiveId.Format(content), true));
    }

    private static async Task<Results<Accepted<LikeAccepted>, ValidationProblem, ProblemHttpResult>> WriteAsync(
        LikeAction action, string contentId, HttpContext http, ILikeWrites writes, DeletedContents deletions, EdgeOptions edge)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var validId = ContentIdRoute.TryParse(contentId, out var content, errors);
        var validKey = IdempotencyKey.TryRead(http.Request.Headers, out var key, errors);
        if (!validId || !validKey)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}")));
        }

        if (action == LikeAction.Like && await deletions.IsDeletedAsync(content))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, detail: $"content {PositiveId.Format(content)} was deleted: it cannot be liked");
        }

        var outcome = await writes.WriteAsync(http.User.UserId(), content, action, key, http.RequestAborted);
        if (outcome == PublishOutcome.KeyReused)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                detail: $"the {IdempotencyKey.Header} was already sent with another write (another content or action); nothing was written: use a fresh key for each intended write");
        }

        if (outcome == PublishOutcome.Unavailable)
        {
            return Unavailable(http, edge);
        }

        return TypedResults.Accepted((string?)null, new LikeAccepted(PositiveId.Format(content), action == LikeAction.Like));
    }

    /// <summary>503 with Retry-After: the stream did not confirm the write durable, so nothing was written.</summary>
    public static ProblemHttpResult Unavailable(HttpContext http, EdgeOptions edge)
    {
        http.Response.Headers.RetryAfter = edge.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            detail: "events stream unavailable: the write is not confirmed durable; retry later, with the same Idempotency-Key if one was sent");
    }
}
