using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Likes.Edge.OpenApi;

/// <summary>
/// Writes each endpoint's <see cref="DocumentedParameter"/>s into its operation, and the id pattern into the
/// <c>contentId</c> route parameter: ids are strings of digits, never numbers a client could round.
/// </summary>
public sealed class DocumentedParameters : IOpenApiOperationTransformer
{
    /// <summary>1 … 9223372036854775807 in plain decimal, no leading zero (the edge's <see cref="PositiveId"/> rule).</summary>
    public const string IdPattern = "^[1-9][0-9]{0,18}$";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path))
        {
            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = IdPattern };
            parameter.Description = $"a content id: {PositiveId.Rule}";
        }

        foreach (var documented in context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedParameter>())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = documented.Name,
                In = documented.In,
                Required = documented.Required,
                Description = documented.Description,
                Schema = documented.Minimum is null
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Pattern = documented.Pattern }
                    : new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = documented.Minimum.ToString(), Maximum = documented.Maximum?.ToString() },
            });
        }

        return Task.CompletedTask;
    }

    public static TBuilder Documents<TBuilder>(TBuilder endpoint, params DocumentedParameter[] parameters)
        where TBuilder : IEndpointConventionBuilder
        => endpoint.WithMetadata([.. parameters]);
}
