using Microsoft.OpenApi;

namespace Likes.Edge.OpenApi;

/// <summary>
/// A query parameter or header an endpoint reads and validates itself (so model binding cannot describe it):
/// declared on the endpoint with <see cref="DocumentedParameters.Documents"/>, written into its operation.
/// </summary>
public sealed record DocumentedParameter(string Name, ParameterLocation In, string Description, bool Required = false, string? Pattern = null, int? Minimum = null, int? Maximum = null);
