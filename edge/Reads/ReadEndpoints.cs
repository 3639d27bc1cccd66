using Likes.Edge.Auth;
using Likes.Edge.Ids;
using System.Globalization;
using Likes.Edge.OpenApi;
using Likes.Edge.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Likes.Edge.Reads;

/// <summary>
/// The v1 reads: feed-state, a content's count, the caller's likes (always 200 once valid, degraded rather than 500), and
/// a content's likers (PostgreSQL alone: 503 while it cannot answer).
/// </summary>
public static class ReadEndpoints
{
    private const string FeedStateIdsPattern = "^[1-9][0-9]{0,18}(,[1-9][0-9]{0,18}){0,99}$";

    public static RouteGroupBuilder MapReads(this RouteGroupBuilder v1)
    {
        var reads = v1.MapGroup(string.Empty).WithTags(ApiDescription.ReadsTag);
        DocumentedParameters.Documents(
                reads.MapGet("/feed-state", FeedStateAsync),
                new DocumentedParameter(FeedStateIds.Name, ParameterLocation.Query, $"content ids: {FeedStateIds.Rule}; answered in this order", Required: true, Pattern: FeedStateIdsPattern))
            .WithName("feedState")
            .WithSummary("Counts and the caller's liked-state of up to 100 contents (a feed page)");
        reads.MapGet("/contents/" + ContentIdRoute.Template + "/likes/count", CountAsync)
            .WithName("likeCount")
            .WithSummary("One content's like count");
        DocumentedParameters.Documents(
                reads.MapGet("/users/me/likes", MyLikesAsync),
                new DocumentedParameter(PageQuery.Limit, ParameterLocation.Query, $"page size, default {PageQuery.DefaultLimit}: {PageQuery.LimitRule}", Minimum: 1, Maximum: PageQuery.MaxLimit),
                new DocumentedParameter(PageCursor.Name, ParameterLocation.Query, "the nextCursor of the previous page; absent for the first page"))
            .WithName("myLikes")
            .WithSummary("The caller's likes, newest first, a page at a time");
        DocumentedParameters.Documents(
                reads.MapGet("/contents/" + ContentIdRoute.Template + "/likers", LikersAsync),
                new DocumentedParameter(PageQuery.Limit, ParameterLocation.Query, $"page size, default {PageQuery.DefaultLimit}: {PageQuery.LimitRule}", Minimum: 1, Maximum: PageQuery.MaxLimit),
                new DocumentedParameter(PageCursor.Name, ParameterLocation.Query, "the nextCursor of the previous page; absent for the first page"))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("likers")
            .WithSummary("Who liked a content, newest first; private likers counted in privateLikers, never listed");
        return v1;
    }

    private static async Task<Results<Ok<FeedStateBody>, ValidationProblem>> FeedStateAsync(HttpContext http, FeedStateReader reader)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!FeedStateIds.TryParse(http.Request.Query, out var ids, errors))
        {
            return Invalid(errors);
        }

        NotCached(http);
        return TypedResults.Ok(await reader.ReadAsync(http.User.UserId(), ids, http.RequestAborted));
    }

    private static async Task<Results<Ok<LikeCountBody>, ValidationProblem>> CountAsync(string contentId, HttpContext http, CountReader reader)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ContentIdRoute.TryParse(contentId, out var id, errors))
        {
            return Invalid(errors);
        }

        NotCached(http);
        return TypedResults.Ok(await reader.ReadAsync(id, http.RequestAborted));
    }

    private static async Task<Results<Ok<MyLikesBody>, ValidationProblem>> MyLikesAsync(HttpContext http, MyLikesReader reader, MyLikesCursor cursors)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var userId = http.User.UserId();
        if (!PageQuery.TryParse(http.Request.Query, userId, cursors, out var limit, out var after, errors))
        {
            return Invalid(errors);
        }

        NotCached(http);
        return TypedResults.Ok(await reader.ReadAsync(userId, limit, after, http.RequestAborted));
    }

    private static async Task<Results<Ok<LikersBody>, ValidationProblem, ProblemHttpResult>> LikersAsync(
        string contentId, HttpContext http, FallbackBudget budget, PostgresReads postgres, LikersCursor cursors, IOptions<EdgeOptions> edge)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ContentIdRoute.TryParse(contentId, out var id, errors)
            | !PageQuery.TryParse(http.Request.Query, id, cursors, out var limit, out var after, errors))
        {
            return Invalid(errors);
        }

        NotCached(http);
        var page = await budget.RunAsync(ReadMetrics.Likers, ct => postgres.LikersAsync(id, after, limit + 1, ct), http.RequestAborted);
        if (!page.Known)
        {
            return Unavailable(http, edge.Value, "the likers list is read from PostgreSQL, which cannot answer now; retry later");
        }

        var likers = page.Value!.Likers;
        var items = likers.Take(limit).Select(l => new LikerItem(PositiveId.Format(l.UserId), LikedAtText.Format(l.LikedAtMs))).ToList();
        var next = likers.Count > limit ? cursors.Encode(id, (likers[limit - 1].LikedAtMs, likers[limit - 1].UserId)) : null;
        return TypedResults.Ok(new LikersBody(items, page.Value.Count, page.Value.PrivateLikers, next));
    }

    /// <summary>503 with Retry-After: a read only PostgreSQL can answer, while it cannot.</summary>
    public static ProblemHttpResult Unavailable(HttpContext http, EdgeOptions edge, string detail)
    {
        http.Response.Headers.RetryAfter = edge.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: detail);
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors)
        => TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}")));

    // Per-user answers that change with every like: no shared or browser cache may keep them.
    private static void NotCached(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}
