using System.Net.Http.Headers;
using System.Text;

namespace Likes.Edge.Tests;

/// <summary>The likers list and the caller's account requests as a client sends them, and their bodies.</summary>
public static class AccountRequests
{
    public static Task<HttpResponseMessage> LikersAsync(this HttpClient client, string contentId, string? token, int? limit = null, string? cursor = null)
        => client.GetAsync($"/v1/contents/{contentId}/likers?limit={limit ?? 20}" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)), token);

    /// <summary>Every page from the first to the one whose nextCursor is null; the first page's count and private likers.</summary>
    public static async Task<(Likers First, List<Liker> Listed)> AllLikersAsync(this HttpClient client, long contentId, string token, int limit)
    {
        var first = await ReadRequests.OkAsync<Likers>(client.LikersAsync(contentId.ToString(System.Globalization.CultureInfo.InvariantCulture), token, limit));
        var listed = new List<Liker>(first.Items);
        for (var cursor = first.NextCursor; cursor is not null;)
        {
            var page = await ReadRequests.OkAsync<Likers>(client.LikersAsync(contentId.ToString(System.Globalization.CultureInfo.InvariantCulture), token, limit, cursor));
            listed.AddRange(page.Items);
            cursor = page.NextCursor;
        }

        return (first, listed);
    }

    public static Task<HttpResponseMessage> PutSettingsAsync(this HttpClient client, string token, string json)
        => client.SendAsync(Authorized(HttpMethod.Put, "/v1/users/me/settings", token, new StringContent(json, Encoding.UTF8, "application/json")));

    public static Task<HttpResponseMessage> SettingsAsync(this HttpClient client, string token)
        => client.GetAsync("/v1/users/me/settings", token);

    public static Task<HttpResponseMessage> EraseAsync(this HttpClient client, string token)
        => client.SendAsync(Authorized(HttpMethod.Delete, "/v1/users/me/likes", token));

    public static Task<HttpResponseMessage> ExportAsync(this HttpClient client, string token)
        => client.GetAsync("/v1/users/me/likes/export", token);

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string token, HttpContent? body = null)
        => new(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) }, Content = body };
}

public sealed record Liker(string UserId, string LikedAt);

public sealed record Likers(List<Liker> Items, long Count, long PrivateLikers, string? NextCursor);

public sealed record Settings(bool LikesPublic);
