using Likes.Edge.Writes;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Options;

/// <summary><c>Edge:WritePath</c> discard accepts writes and keeps none: refused outside Development, where a client would lose every like.</summary>
public sealed class WritePathValidation(IHostEnvironment environment) : IValidateOptions<EdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
        => options.WritePath == WritePath.Discard && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail("Edge:WritePath discard answers 202 and keeps nothing: it is for the benchmarks, and refused outside Development.")
            : ValidateOptionsResult.Success;
}
