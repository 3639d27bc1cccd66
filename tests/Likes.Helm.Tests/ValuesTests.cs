using System.Text.Json;
using Xunit;

namespace Likes.Helm.Tests;

/// <summary>Chart.yaml, values.yaml and ci/*-values.yaml: lint-clean, schema-valid, laid out by the house rules.</summary>
public sealed class ValuesTests
{
    public static readonly string[] Daemons = ["edge", "aggregator", "persister", "reheater", "reconciler"];

    public static readonly string[] Components = [.. Daemons, "migrations"];

    public static readonly string[] ComponentKeyOrder =
        ["enabled", "replicas", "image", "config", "resources", "podSecurityContext", "securityContext", "probes", "scheduling", "pdb", "serviceMonitor"];

    public static IEnumerable<object[]> ComponentData => Components.Select(c => new object[] { c });

    public static IEnumerable<object[]> DaemonData => Daemons.Select(d => new object[] { d });

    [Fact]
    public void Yamllint_AcceptsChartValuesAndCiValues()
    {
        var files = new[] { Path.Combine(Repo.Chart, "Chart.yaml"), Repo.ValuesFile }.Concat(Repo.CiValuesFiles);

        var result = Tools.Run("yamllint", ["--strict", "-c", Path.Combine(Repo.Chart, ".yamllint"), .. files]);

        Assert.True(result.ExitCode == 0, $"yamllint found problems:\n{result.Output}");
    }

    [Fact]
    public void ValuesAndEveryCiValuesFile_MatchTheSchema()
    {
        Assert.NotEmpty(Repo.CiValuesFiles);
        var verdicts = Validate([Repo.ValuesFile, .. Repo.CiValuesFiles]);

        foreach (var (file, valid, errors) in verdicts)
        {
            Assert.True(valid, $"{Path.GetRelativePath(Repo.Root, file)} does not match values.schema.json:\n{string.Join('\n', errors)}");
        }
    }

    public static TheoryData<string, string> RefusedValues => new()
    {
        { "a writable root filesystem", "edge:\n  securityContext:\n    readOnlyRootFilesystem: false\n" },
        { "privilege escalation", "persister:\n  securityContext:\n    allowPrivilegeEscalation: true\n" },
        { "capabilities kept", "aggregator:\n  securityContext:\n    capabilities:\n      drop: []\n" },
        { "running as root", "reheater:\n  podSecurityContext:\n    runAsUser: 0\n" },
        { "runAsNonRoot off", "reconciler:\n  podSecurityContext:\n    runAsNonRoot: false\n" },
        { "no seccomp profile", "migrations:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n" },
        { "a password as extra env", "edge:\n  config:\n    LIKES_REDIS_PASSWORD: hunter2\n" },
        { "a secret in Section__Key form", "persister:\n  config:\n    Postgres__Password: hunter2\n" },
        { "a connection string with its password", "reconciler:\n  config:\n    LIKES_POSTGRES: Host=pg;Password=hunter2\n" },
        { "a password in the Npgsql options", "externalServices:\n  postgres:\n    options: Password=hunter2\n" },
        { "a password in the Redis options", "externalServices:\n  redis:\n    options: password=hunter2\n" },
        { "no JWT secret", "jwt:\n  existingSecret: \"\"\n" },
        { "no PostgreSQL secret", "externalServices:\n  postgres:\n    existingSecret: \"\"\n" },
        { "no memory limit", "edge:\n  resources:\n    limits:\n      memory: null\n" },
        { "a misspelt key", "edge:\n  replica: 3\n" },
        { "a password in a daemon's credentials", "persister:\n  credentials:\n    password: hunter2\n" },
        { "an unknown component", "frontend:\n  enabled: true\n" },
        { "a probe path", "edge:\n  probes:\n    liveness:\n      httpGet:\n        path: /\n" },
        { "too many partitions", "partitions: 5000\n" },
        { "an unknown alert override", "prometheusRule:\n  alerts:\n    SomeoneElsesAlert:\n      for: 5m\n" },
        { "an invalid toleration", "persister:\n  scheduling:\n    tolerations:\n      - key: a\n        operator: Sometimes\n" },
    };

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public void Schema_RefusesInsecureSecretOrMistakenValues(string what, string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("likes-values-");
        try
        {
            var file = Path.Combine(dir.FullName, "refused-values.yaml");
            File.WriteAllText(file, "---\n" + yaml);

            var (_, valid, _) = Validate([file]).Single();

            Assert.False(valid, $"values with {what} were accepted");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ComponentData))]
    public void EveryComponent_HasTheSharedKeysInTheSharedOrder(string component)
    {
        var keys = ValuesLayout.Keys(Repo.ValuesFile);
        var children = ValuesLayout.Children(keys, component);

        // A Job has no replicas, probes, disruption budget or scrape target; its other keys keep the order.
        var shared = component == "migrations"
            ? ComponentKeyOrder.Except(["replicas", "probes", "pdb", "serviceMonitor"]).ToArray()
            : ComponentKeyOrder;
        Assert.Equal(shared, children.Take(shared.Length));
        Assert.Equal(["repository", "tag", "pullPolicy"], ValuesLayout.Children(keys, $"{component}.image"));
        Assert.Equal(["nodeSelector", "tolerations", "affinity", "topologySpreadConstraints"], ValuesLayout.Children(keys, $"{component}.scheduling"));
        if (component != "migrations")
        {
            Assert.Equal(["startup", "liveness", "readiness"], ValuesLayout.Children(keys, $"{component}.probes"));
            Assert.Equal(["enabled", "maxUnavailable"], ValuesLayout.Children(keys, $"{component}.pdb"));
            Assert.Equal(["enabled", "interval", "scrapeTimeout"], ValuesLayout.Children(keys, $"{component}.serviceMonitor"));
        }
    }

    [Theory]
    [MemberData(nameof(DaemonData))]
    public void EveryDaemon_NamesTheSecretOfItsOwnCredentials_AfterTheSharedKeys(string daemon)
    {
        var keys = ValuesLayout.Keys(Repo.ValuesFile);

        Assert.Equal("credentials", ValuesLayout.Children(keys, daemon)[ComponentKeyOrder.Length]);
        Assert.Equal(["existingSecret"], ValuesLayout.Children(keys, $"{daemon}.credentials"));
        Assert.Equal(string.Empty, Yaml.Load(Repo.ValuesFile).StringAt($"{daemon}.credentials.existingSecret"));
    }

    [Fact]
    public void EveryValuesKey_HasADoubleHashComment()
    {
        // Kubernetes objects passed through as written are documented by their parent key.
        string[] passThrough = ["resources", "podSecurityContext", "securityContext", "probes.startup", "probes.liveness", "probes.readiness"];
        var keys = ValuesLayout.Keys(Repo.ValuesFile);
        var undocumented = keys
            .Where(k => !passThrough.Any(p => k.Path.Contains($".{p}.", StringComparison.Ordinal)))
            .Where(k => k.CommentAbove is null || !k.CommentAbove.StartsWith("## ", StringComparison.Ordinal))
            .Select(k => $"{k.Path} (line {k.Line})")
            .ToList();

        Assert.True(keys.Count > 100, "values.yaml was not read");
        Assert.True(undocumented.Count == 0, $"keys without a ## comment:\n{string.Join('\n', undocumented)}");
    }

    [Fact]
    public void Defaults_AreSecureAndMonitoringIsOptIn()
    {
        var values = Yaml.Load(Repo.ValuesFile);

        Assert.Equal(8, values.GetProperty("partitions").GetInt32());
        Assert.Equal(3, values.At("stream.replicas")!.Value.GetInt32());
        foreach (var flag in (string[])["prometheusRule.enabled", "serviceMonitor.enabled", "dashboards.enabled"])
        {
            Assert.Equal(JsonValueKind.False, values.At(flag)!.Value.ValueKind);
        }

        foreach (var component in Components)
        {
            var pod = values.At($"{component}.podSecurityContext")!.Value;
            var container = values.At($"{component}.securityContext")!.Value;
            Assert.Equal(JsonValueKind.True, pod.GetProperty("runAsNonRoot").ValueKind);
            Assert.True(pod.GetProperty("runAsUser").GetInt32() > 0, $"{component}: runAsUser");
            Assert.Equal("RuntimeDefault", pod.StringAt("seccompProfile.type"));
            Assert.Equal(JsonValueKind.True, container.GetProperty("runAsNonRoot").ValueKind);
            Assert.Equal(JsonValueKind.True, container.GetProperty("readOnlyRootFilesystem").ValueKind);
            Assert.Equal(JsonValueKind.False, container.GetProperty("allowPrivilegeEscalation").ValueKind);
            Assert.Equal(["ALL"], container.At("capabilities.drop")!.Value.EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("RuntimeDefault", container.StringAt("seccompProfile.type"));
            Assert.NotNull(values.At($"{component}.resources.requests.cpu"));
            Assert.NotNull(values.At($"{component}.resources.requests.memory"));
            Assert.NotNull(values.At($"{component}.resources.limits.memory"));
        }
    }

    [Fact]
    public void Values_NameSecretsButNeverHoldThem()
    {
        // Any key about a credential is the name of a Secret or of a key inside one.
        var keys = ValuesLayout.Keys(Repo.ValuesFile);
        var credentialKeys = keys.Where(k => k.Path.Split('.')[^1] is var last &&
            (last.Contains("password", StringComparison.OrdinalIgnoreCase) ||
             last.Contains("secret", StringComparison.OrdinalIgnoreCase) ||
             last.Contains("token", StringComparison.OrdinalIgnoreCase) ||
             last.EndsWith("Key", StringComparison.Ordinal) ||
             last.Equals("key", StringComparison.OrdinalIgnoreCase)));
        foreach (var key in credentialKeys)
        {
            var last = key.Path.Split('.')[^1];
            Assert.True(last is "existingSecret" or "pullSecrets" || last.EndsWith("Key", StringComparison.Ordinal),
                $"{key.Path}: a credential must come from an existing Secret, not from values");
        }
    }

    [Fact]
    public void Chart_IsApiV2WithTheAppVersion()
    {
        var chart = Yaml.Load(Path.Combine(Repo.Chart, "Chart.yaml"));

        Assert.Equal("v2", chart.StringAt("apiVersion"));
        Assert.Equal("likes", chart.StringAt("name"));
        Assert.Equal("0.1.0", chart.StringAt("appVersion"));
        Assert.Equal(">=1.30.0-0", chart.StringAt("kubeVersion"));
    }

    private static List<(string File, bool Valid, string[] Errors)> Validate(IEnumerable<string> files)
    {
        var result = Tools.Node("validate-values.cjs", [Repo.Chart, .. files]);
        Assert.True(result.ExitCode == 0, $"validate-values.cjs could not run:\n{result.Output}");
        using var json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(v => (
            v.GetProperty("file").GetString()!,
            v.GetProperty("valid").GetBoolean(),
            v.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray()))];
    }
}
