using Xunit;

namespace Likes.Helm.Tests;

/// <summary>
/// docs/openapi.json (the edge's document, kept equal to what it serves by the edge's tests) passes Redocly's
/// recommended rules without an error or a warning: what client generators and API catalogues expect of it.
/// </summary>
public sealed class OpenApiLintTests
{
    [Fact]
    public void TheOpenApiDocument_PassesTheLinter()
    {
        var redocly = Path.Combine(Repo.NodeModules, ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"@redocly/cli is not in {Repo.NodeModules}: {Tools.InstallHint}");

        var result = Tools.Run(redocly, ["lint", "--format=stylish", Path.Combine(Repo.Root, "docs", "openapi.json")],
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain(" warning ", result.Output, StringComparison.Ordinal);
    }
}
