namespace Likes.Fixtures;

/// <summary>The checkout the tests run from: the test binaries live under its <c>artifacts/</c>.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Where tests keep runtime state: <c>.local/</c>, ignored by git.</summary>
    public static string Local => Path.Combine(Root, ".local");

    private static string FindRoot()
    {
        var here = AppContext.BaseDirectory;
        var artifacts = here.IndexOf("/artifacts/", StringComparison.Ordinal);
        return artifacts > 0 ? here[..artifacts] : throw new InvalidOperationException($"{here} is not under an artifacts/ folder");
    }
}
