using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Likes.Edge.OpenApi;

/// <summary>
/// Counts are written as JSON numbers. The web serializer defaults would also read them from strings, which the
/// generated schema reports as "integer or string"; the edge reads no bodies, so the schema says what it writes.
/// </summary>
public sealed class NumbersAsWritten : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Integer) && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }
}
