using Xunit;

namespace Likes.Helm.Tests;

/// <summary>
/// Every source file is laid out as .editorconfig says (indentation, braces and line breaks, final newline, no
/// trailing spaces): <c>dotnet format whitespace --verify-no-changes</c>. The C# style and naming rules of
/// .editorconfig are warnings, so the build (EnforceCodeStyleInBuild, warnings as errors) already refuses them.
/// </summary>
public sealed class FormattingTests
{
    [Fact]
    public void EverySourceFile_IsFormattedAsEditorconfigSays()
    {
        var result = Tools.Run("dotnet", ["format", "whitespace", Repo.Root, "--folder", "--verify-no-changes", "--exclude", "artifacts", ".local"]);

        Assert.True(result.ExitCode == 0, $"run `dotnet format whitespace --folder` and commit the result:\n{result.Output}");
    }
}
