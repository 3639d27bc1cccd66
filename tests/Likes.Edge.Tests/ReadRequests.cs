using System.Net;
using System.Net.Http.Headers;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>The read requests as a client sends them, and their bodies as a client reads them.</summary>
public static class ReadRequests
{
    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string pathAndQuery, string? token, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client.SendAsync(request, completion);
    }

    public static Task<HttpResponseMessage> FeedStateAsync(this HttpClient client, string ids, string? token)
        => client.GetAsync("/v1/feed-state?ids=" + ids, token);

    public static Task<FeedState> FeedStateOkAsync(this HttpClient client, string token, params long[] ids)
        => OkAsync<FeedState>(client.FeedStateAsync(string.Join(',', ids), token));

    public static Task<HttpResponseMessage> CountAsync(this HttpClient client, string contentId, string? token)
        => client.GetAsync($"/v1/contents/{contentId}/likes/count", token);

    public static Task<LikeCount> CountOkAsync(this HttpClient client, string token, long contentId)
        => OkAsync<LikeCount>(client.CountAsync(contentId.ToString(System.Globalization.CultureInfo.InvariantCulture), token));

    public static Task<HttpResponseMessage> MyLikesAsync(this HttpClient client, string? token, int? limit = null, string? cursor = null)
    {
        var query = new List<string>();
        if (limit is not null)
        {
            query.Add("limit=" + limit);
        }

        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return client.GetAsync("/v1/users/me/likes" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), token);
    }

    public static Task<MyLikes> MyLikesOkAsync(this HttpClient client, string token, int? limit = null, string? cursor = null)
        => OkAsync<MyLikes>(client.MyLikesAsync(token, limit, cursor));

    /// <summary>Every page from the first to the one whose nextCursor is null.</summary>
    public static async Task<List<List<MyLike>>> AllMyLikesAsync(this HttpClient client, string token, int limit)
    {
        var pages = new List<List<MyLike>>();
        string? cursor = null;
        do
        {
            var page = await client.MyLikesOkAsync(token, limit, cursor);
            Assert.Null(page.Degraded);
            pages.Add(page.Items);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 1000, "pagination does not end");
        }
        while (cursor is not null);

        return pages;
    }

    public static async Task<T> OkAsync<T>(Task<HttpResponseMessage> send)
    {
        var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, System.Text.Json.JsonSerializerOptions.Web)!;
    }
}

public sealed record FeedStateItem(string ContentId, long? Count, bool? Liked);

public sealed record FeedState(List<FeedStateItem> Items, bool? Degraded);

public sealed record LikeCount(string ContentId, long? Count, bool? Degraded);

public sealed record MyLike(string ContentId, string LikedAt);

public sealed record MyLikes(List<MyLike> Items, string? NextCursor, bool? Degraded);
