using System.Net.Http.Headers;

namespace Likes.Edge.Tests;

/// <summary>The write requests as a client sends them.</summary>
public static class LikeRequests
{
    public static Task<HttpResponseMessage> LikeAsync(this HttpClient client, string contentId, string? token, string? idempotencyKey = null)
        => client.WriteAsync(HttpMethod.Put, contentId, token, idempotencyKey);

    public static Task<HttpResponseMessage> UnlikeAsync(this HttpClient client, string contentId, string? token, string? idempotencyKey = null)
        => client.WriteAsync(HttpMethod.Delete, contentId, token, idempotencyKey);

    public static Task<HttpResponseMessage> WriteAsync(this HttpClient client, HttpMethod method, string contentId, string? token, string? idempotencyKey = null, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(method, "/v1/likes/" + contentId) { Content = body };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }
}
