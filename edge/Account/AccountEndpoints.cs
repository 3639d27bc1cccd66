using System.Buffers;
using System.Text.Json;
using Likes.Edge.Auth;
using Likes.Edge.Ids;
using Likes.Edge.OpenApi;
using Likes.Edge.Options;
using Likes.Edge.Reads;
using Likes.Edge.Writes;
using Likes.Shared.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likes.Edge.Account;

/// <summary>
/// The caller's account: <c>GET</c>/<c>PUT /v1/users/me/settings</c>, <c>DELETE /v1/users/me/likes</c> (erasure) and
/// <c>GET /v1/users/me/likes/export</c>. A change is an event on the caller's partition, like a like: it lands after
/// their earlier writes and before their later ones, and the persister applies it to every like of theirs.
/// </summary>
public static class AccountEndpoints
{
    public const string LikesPublicField = "likesPublic";

    /// <summary>Rows the export reads from PostgreSQL at a time: its memory is one such page, whatever the user's likes.</summary>
    public const int ExportPage = 1000;

    public static RouteGroupBuilder MapAccount(this RouteGroupBuilder v1)
    {
        var account = v1.MapGroup(string.Empty).WithTags(ApiDescription.AccountTag);
        account.MapGet("/users/me/settings", GetSettingsAsync)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("getSettings")
            .WithSummary("The caller's settings: whether their likes show in likers lists");
        account.MapPut("/users/me/settings", PutSettingsAsync)
            .RequireWriteRateLimit()
            .Accepts<SettingsBody>("application/json")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("putSettings")
            .WithSummary("Make the caller's likes private (left out of every likers list, counted in privateLikers) or public again");
        account.MapDelete("/users/me/likes", EraseAsync)
            .RequireWriteRateLimit()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("eraseMyLikes")
            .WithSummary("Erase every like of the caller (GDPR art. 17), after their earlier writes; counts move by what was removed");
        account.MapGet("/users/me/likes/export", ExportAsync)
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("exportMyLikes")
            .WithSummary("Every like of the caller, newest first, one JSON object a line (GDPR art. 20)");
        return v1;
    }

    private static async Task<Results<Ok<SettingsBody>, ProblemHttpResult>> GetSettingsAsync(HttpContext http, FallbackBudget budget, PostgresReads postgres, IOptions<EdgeOptions> edge)
    {
        var userId = http.User.UserId();
        var known = await budget.RunAsync(ReadMetrics.Settings, ct => postgres.LikesPublicAsync(userId, ct), http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return known.Known
            ? TypedResults.Ok(new SettingsBody(known.Value))
            : ReadEndpoints.Unavailable(http, edge.Value, "settings are read from PostgreSQL, which cannot answer now; retry later");
    }

    private static async Task<Results<Ok<SettingsBody>, ValidationProblem, ProblemHttpResult>> PutSettingsAsync(HttpContext http, LikePublisher publisher, IOptions<EdgeOptions> edge)
    {
        if (await ReadLikesPublicAsync(http) is not { } likesPublic)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [LikesPublicField] = ["must be true or false, in a JSON object"] },
                detail: $"{LikesPublicField} must be true or false, in a JSON object");
        }

        var outcome = await publisher.PublishAsync(http.User.UserId(), 0, likesPublic ? LikeAction.Show : LikeAction.Hide, null, http.RequestAborted);
        return outcome == PublishOutcome.Unavailable
            ? WriteEndpoints.Unavailable(http, edge.Value)
            : TypedResults.Ok(new SettingsBody(likesPublic));
    }

    private static async Task<Results<Accepted<ErasureAccepted>, ProblemHttpResult>> EraseAsync(HttpContext http, LikePublisher publisher, IOptions<EdgeOptions> edge)
    {
        var outcome = await publisher.PublishAsync(http.User.UserId(), 0, LikeAction.Erase, null, http.RequestAborted);
        return outcome == PublishOutcome.Unavailable
            ? WriteEndpoints.Unavailable(http, edge.Value)
            : TypedResults.Accepted((string?)null, new ErasureAccepted(true));
    }

    /// <summary>
    /// Every like of the caller, newest first, one JSON object a line, read in keyset pages and written as they come:
    /// constant memory. A failure before the first byte is a 503; after it, the connection is aborted (no final chunk),
    /// which every HTTP client tells from a complete export.
    /// </summary>
    private static async Task ExportAsync(HttpContext http, PostgresReads postgres, IOptions<EdgeOptions> edge)
    {
        var userId = http.User.UserId();
        var output = http.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(output);
        (long LikedAtMs, long Id)? after = null;
        try
        {
            while (true)
            {
                var rows = await postgres.MyLikesAsync(userId, after, ExportPage, http.RequestAborted);
                if (!http.Response.HasStarted)
                {
                    http.Response.ContentType = "application/x-ndjson";
                    http.Response.Headers.CacheControl = "no-store";
                }

                foreach (var (contentId, likedAtMs) in rows)
                {
                    JsonSerializer.Serialize(json, new ExportLine(PositiveId.Format(contentId), LikedAtText.Format(likedAtMs)), EdgeJsonContext.Default.ExportLine);
                    json.Flush();
                    json.Reset(output);
                    output.Write("\n"u8);
                }

                await output.FlushAsync(http.RequestAborted);
                if (rows.Count < ExportPage)
                {
                    return;
                }

                after = (rows[^1].LikedAtMs, rows[^1].ContentId);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            if (http.Response.HasStarted)
            {
                http.Abort();
                return;
            }

            await ReadEndpoints.Unavailable(http, edge.Value, "the export is read from PostgreSQL, which cannot answer now; retry later").ExecuteAsync(http);
        }
    }

    private static async Task<bool?> ReadLikesPublicAsync(HttpContext http)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty(LikesPublicField, out var value)
                && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
