using System.Text.Json;
using System.Text.Json.Nodes;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// <c>/openapi/v1.json</c>: served without a token, describing the bearer scheme, string ids and problem+json errors,
/// and equal to its committed copy docs/openapi.json (<c>./likes openapi</c> rewrites the copy after an API change).
/// </summary>
public sealed class OpenApiDocumentTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    /// <summary>Set by <c>./likes openapi</c>: write the served document over the committed copy instead of comparing.</summary>
    private const string WriteVariable = "LIKES_OPENAPI_WRITE";

    private static readonly string CommittedCopy = Path.Combine(Repository.Root, "docs", "openapi.json");

    [Fact]
    public async Task TheCommittedCopy_IsTheDocumentTheEdgeServes()
    {
        var served = Pretty(await Served());
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedCopy, served);
        }

        Assert.True(File.Exists(CommittedCopy), "docs/openapi.json is missing: run ./likes openapi");
        Assert.True(served == await File.ReadAllTextAsync(CommittedCopy), "docs/openapi.json is stale (the API changed): run ./likes openapi and commit it");
    }

    [Fact]
    public async Task EveryV1Operation_NeedsTheBearerToken_AndAnswersErrorsAsProblemJson()
    {
        var document = await Served();
        Assert.Equal("bearer", (string?)document["components"]?["securitySchemes"]?["Bearer"]?["scheme"]);
        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "put" or "delete").Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!)))
            .ToList();
        // Like, unlike, delete a content; feed-state, count, my-likes, likers; settings (get, put), erasure, export.
        Assert.Equal(11, operations.Count);
        foreach (var (path, method, operation) in operations)
        {
            Assert.True(operation["security"]?[0]?["Bearer"] is not null, $"{method} {path} names no bearer requirement");
            // 400 where there is something to validate: a path or query parameter, a header or a body.
            var validated = operation["parameters"] is JsonArray { Count: > 0 } || operation["requestBody"] is not null;
            foreach (var status in validated ? ["400", "401"] : new[] { "401" })
            {
                Assert.True(operation["responses"]?[status]?["content"]?["application/problem+json"] is not null, $"{method} {path} has no problem+json {status}");
            }
        }
    }

    [Fact]
    public async Task Ids_AreStringsOfDigits_InPathsAndBodies()
    {
        var document = await Served();
        var contentId = document["paths"]!["/v1/likes/{contentId}"]!["put"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "contentId")!;
        Assert.Equal("string", (string?)contentId["schema"]!["type"]);
        Assert.Equal("^[1-9][0-9]{0,18}$", (string?)contentId["schema"]!["pattern"]);
        foreach (var schema in new[] { "LikeAccepted", "FeedStateItem", "LikeCountBody", "MyLikeItem", "ContentDeleted" })
        {
            Assert.Equal("string", (string?)document["components"]!["schemas"]![schema]!["properties"]!["contentId"]!["type"]);
        }

        Assert.Equal("string", (string?)document["components"]!["schemas"]!["LikerItem"]!["properties"]!["userId"]!["type"]);
    }

    private async Task<JsonNode> Served()
    {
        using var anonymous = edge.Host.CreateClient();
        var response = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string Pretty(JsonNode document) => document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
