using Likes.Edge.Auth;
using Likes.Edge.Ids;
using Likes.Edge.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Likes.Edge.Reads;

/// <summary>The v1 reads: feed-state, a content's count, the caller's likes. Always 200 once valid, degraded rather than 500.</summary>
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
                new DocumentedParameter(MyLikesQuery.Limit, ParameterLocation.Query, $"page size, default {MyLikesQuery.DefaultLimit}: {MyLikesQuery.LimitRule}", Minimum: 1, Maximum: MyLikesQuery.MaxLimit),
                new DocumentedParameter(MyLikesCursor.Name, ParameterLocation.Query, "the nextCursor of the previous page; absent for the first page"))
            .WithName("myLikes")
            .WithSummary("The caller's likes, newest first, a page at a time");
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
        if (!MyLikesQuery.TryParse(http.Request.Query, userId, cursors, out var limit, out var after, errors))
        {
            return Invalid(errors);
        }

        NotCached(http);
        return TypedResults.Ok(await reader.ReadAsync(userId, limit, after, http.RequestAborted));
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors)
        => TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}")));

    // Per-user answers that change with every like: no shared or browser cache may keep them.
    private static void NotCached(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}
