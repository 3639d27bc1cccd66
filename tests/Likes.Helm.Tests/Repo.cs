namespace Likes.Helm.Tests;

/// <summary>Paths in the repository the tests read, found from the test binary upwards.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "helm", "likes");

    public static string Templates => Path.Combine(Chart, "templates");

    public static string AlertsFile => Path.Combine(Chart, "files", "alerts.yaml");

    public static string AlertsTestFile => Path.Combine(Chart, "files", "alerts_test.yaml");

    public static string ValuesFile => Path.Combine(Chart, "values.yaml");

    public static string SchemaFile => Path.Combine(Chart, "values.schema.json");

    public static string Dashboard => Path.Combine(Chart, "dashboards", "likes.json");

    public static string Runbooks => Path.Combine(Root, "docs", "runbooks");

    /// <summary>Where tools_install (scripts/tools.sh) puts the Node packages.</summary>
    public static string NodeModules => Path.Combine(Root, ".local", "tools", "node_modules");

    /// <summary>The Node scripts of this project, next to its sources.</summary>
    public static string Script(string name) => Path.Combine(Root, "tests", "Likes.Helm.Tests", name);

    public static string Template(string name) => Path.Combine(Templates, name);

    public static IReadOnlyList<string> CiValuesFiles =>
        [.. Directory.GetFiles(Path.Combine(Chart, "ci"), "*-values.yaml").Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workers.sln")) && Directory.Exists(Path.Combine(dir.FullName, "helm", "likes")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root (Workers.sln and helm/likes) above {AppContext.BaseDirectory}");
    }
}
