using Microsoft.OpenApi;

namespace Likes.Edge.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c>: the v1 API as the endpoints declare it (bodies, problem+json errors), with what they
/// read by hand (query parameters, headers) from <see cref="DocumentedParameter"/> metadata and the bearer scheme.
/// docs/openapi.json is its committed copy; a test fails when the two differ.
/// </summary>
public static class EdgeOpenApi
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddEdgeOpenApi(this IServiceCollection services)
        => services.AddOpenApi(DocumentName, o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            o.AddDocumentTransformer<ApiDescription>();
            o.AddOperationTransformer<DocumentedParameters>();
            o.AddSchemaTransformer<NumbersAsWritten>();
        });

    /// <summary>Anonymous, like the health endpoints: it describes the API, it reveals no data.</summary>
    public static WebApplication MapEdgeOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>The errors every v1 endpoint may answer, besides its own: problem+json bodies.</summary>
    public static RouteGroupBuilder ProducesCommonProblems(this RouteGroupBuilder v1)
    {
        v1.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status414UriTooLong)
            .ProducesProblem(StatusCodes.Status431RequestHeaderFieldsTooLarge);
        return v1;
    }
}
