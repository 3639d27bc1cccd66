using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Likes.Edge.OpenApi;

/// <summary>
/// The document's title and version, the bearer scheme (HS256 JWT, <c>sub</c> = the caller's user id) required by
/// every <c>/v1</c> operation, the two tags the operations carry, and the local stack as the example server.
/// </summary>
public sealed class ApiDescription : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";

    public const string WritesTag = "writes";

    public const string ReadsTag = "reads";

    public const string AccountTag = "account";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Likes HTTP API",
            Version = "v1",
            Description = "Likes and unlikes, counts, liked-state and the caller's likes. Ids are positive 64-bit integers, written as strings in JSON. Errors are application/problem+json (RFC 9457). See docs/api.md.",
        };
        document.Info.License = new OpenApiLicense { Name = "Apache-2.0", Identifier = "Apache-2.0" };
        document.Servers = [new OpenApiServer { Url = "http://127.0.0.1:8080", Description = "the local stack (`./likes up`); a deployment's edge answers the same paths" }];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = WritesTag, Description = "Likes, unlikes and content deletions: accepted (202) once durable in the event stream" },
            new() { Name = ReadsTag, Description = "Counts, liked-state and the caller's likes: never 500 because a store is down; degraded instead" },
            new() { Name = AccountTag, Description = "The caller's own settings, erasure and export" },
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "HS256 JWT signed with LIKES_JWT_KEY; sub is the caller's user id, exp is required. `./likes token <userId>` prints one for the local stack.",
            },
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security = [requirement];
            }
        }

        return Task.CompletedTask;
    }
}
