using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Likes.Helm.Tests;

/// <summary>
/// The templates read as text (Helm cannot run on this machine kind): every workload is probed,
/// sized and hardened, takes credentials only from Secrets, and every object carries the labels.
/// </summary>
public sealed partial class TemplateTests
{
    public static TheoryData<string, string, string, int> Workloads => new()
    {
        { "edge.yaml", "Deployment", "edge", 8080 },
        { "aggregator.yaml", "StatefulSet", "aggregator", 9101 },
        { "persister.yaml", "StatefulSet", "persister", 9102 },
        { "reheater.yaml", "Deployment", "reheater", 9103 },
        { "reconciler.yaml", "Deployment", "reconciler", 9104 },
        { "migrations-job.yaml", "Job", "migrations", 0 },
    };

    [Fact]
    public void TheWorkloads_AreExactlyTheDaemonsTheMigrationsJobAndTheTestPod()
    {
        var found = Templates()
            .SelectMany(t => WorkloadKind().Matches(t.Text).Select(m => $"{t.Name}:{m.Groups["kind"].Value}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            ["aggregator.yaml:StatefulSet", "edge.yaml:Deployment", "migrations-job.yaml:Job", "persister.yaml:StatefulSet", "reconciler.yaml:Deployment", "reheater.yaml:Deployment", "tests/edge-test.yaml:Pod"],
            found);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void EveryWorkload_IsProbedSizedAndHardened(string file, string kind, string component, int port)
    {
        var text = Read(file);

        Assert.Contains($"kind: {kind}", text, StringComparison.Ordinal);
        Assert.Contains($"{{{{- if .Values.{component}.enabled }}}}", text, StringComparison.Ordinal);
        Assert.Contains($"{{{{- $v := .Values.{component} }}}}", text, StringComparison.Ordinal);
        Assert.Contains($"{{{{- $ctx := dict \"root\" $ \"component\" \"{component}\" }}}}", text, StringComparison.Ordinal);
        if (kind == "Job")
        {
            AssertHardenedPod(text, containerIndent: 12);
            return;
        }

        // Every daemon's pod is the one named template, given its component, port and the servers it logs in to.
        Assert.Matches($@"  template:\s*\n\s*\{{\{{- include ""likes\.pod"" \(dict ""root"" \$ ""component"" ""{component}"" ""port"" {port} ""needs"" \(list[^)]*\)[^}}]*\) \| nindent 4 \}}\}}", text);
        Assert.Matches($@"likes/service: metrics\s*\nspec:\s*\n\s*clusterIP: None\s*\n\s*publishNotReadyAddresses: true[\s\S]*port: {port}\b", text);
    }

    [Fact]
    public void TheDaemonPod_IsProbedSizedAndHardened_FromItsComponentsValues()
    {
        var pod = Read("_pod.tpl");

        Assert.Contains("{{- define \"likes.pod\" -}}", pod, StringComparison.Ordinal);
        Assert.Contains("{{- $v := index $root.Values .component -}}", pod, StringComparison.Ordinal);
        AssertHardenedPod(pod, containerIndent: 8);
        Assert.Matches(@"livenessProbe:\s*\n\s*httpGet:\s*\n\s*path: /healthz/live\s*\n\s*port: http\s*\n\s*\{\{- toYaml \$v\.probes\.liveness", pod);
        Assert.Matches(@"readinessProbe:\s*\n\s*httpGet:\s*\n\s*path: /healthz/ready\s*\n\s*port: http\s*\n\s*\{\{- toYaml \$v\.probes\.readiness", pod);
        Assert.Matches(@"startupProbe:\s*\n\s*httpGet:\s*\n\s*path: /healthz/live\s*\n\s*port: http\s*\n\s*\{\{- toYaml \$v\.probes\.startup", pod);
        Assert.Matches(@"- name: http\s*\n\s*containerPort: \{\{ \.port \}\}", pod);
        Assert.Matches(@"- name: URLS\s*\n\s*value: ""http://\+:\{\{ \.port \}\}""", pod);
        Assert.Contains("checksum/config: {{ include \"likes.configChecksum\" $root }}", pod, StringComparison.Ordinal);
        Assert.Contains("configMapRef:", pod, StringComparison.Ordinal);
    }

    /// <summary>Resources, pod and container security contexts from the component's values (which the schema pins).</summary>
    private static void AssertHardenedPod(string text, int containerIndent)
    {
        Assert.Matches(@"resources:\s*\n\s*\{\{- toYaml \$v\.resources \| nindent \d+ \}\}", text);
        Assert.Matches($@"securityContext:\s*\n\s*\{{\{{- toYaml \$v\.podSecurityContext \| nindent {containerIndent - 4} \}}\}}", text);
        Assert.Matches($@"securityContext:\s*\n\s*\{{\{{- toYaml \$v\.securityContext \| nindent {containerIndent} \}}\}}", text);
        Assert.Contains("automountServiceAccountToken: false", text, StringComparison.Ordinal);

        // A read-only root filesystem needs a writable /tmp.
        Assert.Matches(@"volumeMounts:\s*\n\s*- name: tmp\s*\n\s*mountPath: /tmp", text);
        Assert.Matches(@"volumes:[\s\S]*- name: tmp\s*\n\s*emptyDir:", text);
        Assert.Contains("include \"likes.image\" $ctx", text, StringComparison.Ordinal);
        Assert.Contains("include \"likes.scheduling\" $ctx", text, StringComparison.Ordinal);
        Assert.Contains("include \"likes.secretEnv\"", text, StringComparison.Ordinal);
        Assert.Contains("include \"likes.extraEnv\" $ctx", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aggregator.yaml")]
    [InlineData("persister.yaml")]
    public void PartitionWorkers_AreGivenNoShareOfThePartitions_TheyTakeItByLease(string file)
    {
        var text = Read(file);

        Assert.Contains("podManagementPolicy: Parallel", text, StringComparison.Ordinal);
        Assert.DoesNotContain("LIKES_REPLICA", text, StringComparison.Ordinal);
        Assert.Matches(@"\{\{- if gt \(int \$v\.replicas\) \(int \.Values\.partitions\) \}\}\s*\n\{\{- fail ", text);
    }

    [Fact]
    public void Templates_NeverCarryInlineSecrets()
    {
        foreach (var (name, text) in Templates())
        {
            Assert.DoesNotMatch(@"(?m)^kind: Secret\b", text);
            Assert.DoesNotContain("stringData", text, StringComparison.Ordinal);

            // Every credential env var is a secretKeyRef.
            foreach (Match env in EnvName().Matches(text))
            {
                var variable = env.Groups["name"].Value;
                if (!CredentialName().IsMatch(variable))
                {
                    continue;
                }

                var after = text[(env.Index + env.Length)..];
                Assert.True(SecretKeyRef().IsMatch(after), $"{name}: {variable} must come from a secretKeyRef");
            }
        }

        var helpers = Read("_helpers.tpl");
        foreach (var variable in (string[])["LIKES_JWT_KEY", "LIKES_NATS_USER", "LIKES_NATS_PASSWORD", "LIKES_REDIS_USER", "LIKES_REDIS_PASSWORD", "LIKES_POSTGRES_USER", "LIKES_POSTGRES_PASSWORD"])
        {
            Assert.Matches($@"- name: {variable}\s*\n\s*valueFrom:\s*\n\s*secretKeyRef:", helpers);
        }
    }

    [Theory]
    [InlineData("edge.yaml", "edge")]
    [InlineData("aggregator.yaml", "aggregator")]
    [InlineData("persister.yaml", "persister")]
    [InlineData("reheater.yaml", "reheater")]
    [InlineData("reconciler.yaml", "reconciler")]
    public void EveryDaemon_LogsInAsItsOwnUsers_WhenItHasCredentials(string file, string component)
    {
        // The daemon pod passes its component to the credentials, so a component's own Secret is found.
        Assert.Matches($@"include ""likes\.pod"" \(dict ""root"" \$ ""component"" ""{component}"" ""port"" \d+ ""needs"" \(list [^)]*\)", Read(file));
        Assert.Contains("include \"likes.secretEnv\" (dict \"root\" $root \"needs\" .needs \"component\" .component)", Read("_pod.tpl"), StringComparison.Ordinal);

        // User and password of each server from the component's own Secret (least privilege, docs/security.md).
        var helper = Section(Read("_helpers.tpl"), "define \"likes.secretEnv\"");
        foreach (var key in (string[])["nats-user", "nats-password", "redis-user", "redis-password", "postgres-user", "postgres-password"])
        {
            Assert.Matches($@"secretKeyRef:\s*\n\s*name: \{{\{{ \$own \}}\}}\s*\n\s*key: {key}\b", helper);
        }
    }

    [Fact]
    public void MigrationsJob_GivesTheDaemonsRolesTheirLogins_FromTheirOwnSecrets()
    {
        Assert.Contains("include \"likes.loginEnv\" . | nindent 12", Read("migrations-job.yaml"), StringComparison.Ordinal);
        var helper = Section(Read("_helpers.tpl"), "define \"likes.loginEnv\"");
        Assert.Contains("range $component := list \"edge\" \"persister\" \"reheater\" \"reconciler\"", helper, StringComparison.Ordinal);
        Assert.Matches(@"- name: LIKES_\{\{ upper \$component \}\}_POSTGRES_PASSWORD\s*\n\s*valueFrom:\s*\n\s*secretKeyRef:", helper);
    }

    [Fact]
    public void ConfigMap_CarriesEveryLikesVariable_AndNoCredential()
    {
        var data = Section(Read("_helpers.tpl"), "define \"likes.configData\"");

        foreach (var variable in (string[])["LIKES_NATS_URL", "LIKES_STREAM", "LIKES_PARTITIONS", "LIKES_STREAM_REPLICAS", "LIKES_REDIS", "LIKES_REDIS_KEY_PREFIX",
                     "LIKES_POSTGRES", "LIKES_TIMELINE_SIZE", "LIKES_WRITE_RATE_PER_USER", "LIKES_JWT_ISSUER", "LIKES_JWT_AUDIENCE", "OTEL_EXPORTER_OTLP_ENDPOINT"])
        {
            Assert.Contains($"\n{variable}: ", data, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(@"(?i)password|_KEY:|secret", data);
        Assert.Contains("include \"likes.configData\" . | nindent 2", Read("configmap.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryObject_CarriesTheChartLabels()
    {
        foreach (var (name, text) in Templates().Where(t => t.Name.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            var objects = Regex.Count(text, @"(?m)^kind: ");
            var labelled = Regex.Count(text, @"include ""likes\.labels""");
            Assert.True(objects > 0, $"{name} creates nothing");
            Assert.True(labelled >= objects, $"{name}: {objects} objects but {labelled} carry likes.labels");
        }
    }

    [Fact]
    public void MonitoringObjects_AreBehindTheirFlags()
    {
        Assert.StartsWith("{{- if .Values.serviceMonitor.enabled }}", Read("servicemonitor.yaml"), StringComparison.Ordinal);
        Assert.StartsWith("{{- if .Values.prometheusRule.enabled }}", Read("prometheusrule.yaml"), StringComparison.Ordinal);
        var dashboards = Read("dashboards.yaml");
        Assert.StartsWith("{{- if .Values.dashboards.enabled }}", dashboards, StringComparison.Ordinal);
        Assert.Contains(".Files.Get \"dashboards/likes.json\"", dashboards, StringComparison.Ordinal);
        Assert.Contains("toYaml .Values.dashboards.labels", dashboards, StringComparison.Ordinal);

        // Scraped as job="likes" with a component label: what the alerts select on.
        var serviceMonitor = Read("servicemonitor.yaml");
        Assert.Contains("jobLabel: app.kubernetes.io/part-of", serviceMonitor, StringComparison.Ordinal);
        Assert.Contains("targetLabel: component", serviceMonitor, StringComparison.Ordinal);
        Assert.Contains("app.kubernetes.io/part-of: likes", Read("_helpers.tpl"), StringComparison.Ordinal);
    }

    [Fact]
    public void MigrationsJob_IsAPreInstallAndPreUpgradeHookRunningLikesAdminAll()
    {
        var text = Read("migrations-job.yaml");

        Assert.Contains("helm.sh/hook: pre-install,pre-upgrade", text, StringComparison.Ordinal);
        Assert.Contains("helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded", text, StringComparison.Ordinal);
        Assert.Contains("command: [\"dotnet\", \"Likes.Admin.dll\", \"all\"]", text, StringComparison.Ordinal);
        Assert.Contains("restartPolicy: Never", text, StringComparison.Ordinal);
        // Runs before the release's ConfigMap exists: it takes the configuration as env values.
        Assert.Contains("include \"likes.configData\" . | fromYaml", text, StringComparison.Ordinal);
        Assert.DoesNotContain("configMapRef", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDaemon_HasADisruptionBudget_AndTheEdgeAnAutoscaler()
    {
        Assert.Contains("{{- range $component := list \"edge\" \"aggregator\" \"persister\" \"reheater\" \"reconciler\" }}", Read("pdb.yaml"), StringComparison.Ordinal);
        Assert.Contains("kind: PodDisruptionBudget", Read("pdb.yaml"), StringComparison.Ordinal);
        var hpa = Read("edge-hpa.yaml");
        Assert.Contains("kind: HorizontalPodAutoscaler", hpa, StringComparison.Ordinal);
        Assert.Contains("name: cpu", hpa, StringComparison.Ordinal);
        Assert.Contains("minReplicas: {{ $a.minReplicas }}", hpa, StringComparison.Ordinal);
        Assert.Contains("maxReplicas: {{ $a.maxReplicas }}", hpa, StringComparison.Ordinal);
        Assert.Contains("{{- if not $v.autoscaling.enabled }}\n  replicas:", Read("edge.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheEdge_KeepsServingThroughItsPreStopPause_BeforeItStops()
    {
        Assert.Contains("\"preStopSeconds\" $v.preStopSeconds \"terminationGracePeriodSeconds\" (add $v.preStopSeconds 30)", Read("edge.yaml"), StringComparison.Ordinal);
        Assert.Matches(@"\{\{- with \.preStopSeconds \}\}\s*\n\s*lifecycle:\s*\n\s*preStop:\s*\n\s*sleep:\s*\n\s*seconds: \{\{ \. \}\}", Read("_pod.tpl"));
        Assert.Equal(5, Yaml.Load(Repo.ValuesFile).At("edge.preStopSeconds")?.GetInt32());
    }

    [Fact]
    public void NetworkPolicies_AreOptIn_AndAdmitEachComponentOnItsOwnPortOnly()
    {
        var policy = Read("networkpolicy.yaml");

        Assert.Contains("{{- if .Values.networkPolicy.enabled }}", policy, StringComparison.Ordinal);
        Assert.Contains("{{- range $component := list \"edge\" \"aggregator\" \"persister\" \"reheater\" \"reconciler\" }}", policy, StringComparison.Ordinal);
        Assert.Contains("kind: NetworkPolicy", policy, StringComparison.Ordinal);
        Assert.Matches(@"policyTypes:\s*\n\s*- Ingress\s*\n\s*ingress:\s*\n\s*- ports:\s*\n\s*- port: http\s*\n\s*protocol: TCP", policy);
        Assert.Matches(@"podSelector:\s*\n\s*matchLabels:\s*\n\s*\{\{- include ""likes.selectorLabels"" \$ctx", policy);
        // The test pod must still reach an edge whose API is restricted.
        Assert.Contains("\"app.kubernetes.io/component\" \"test\"", policy, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.False, Yaml.Load(Repo.ValuesFile).At("networkPolicy.enabled")?.ValueKind);
    }

    [Fact]
    public void TheHelmTest_ChecksReadinessAndAFeedStateCall_AsAHardenedPod()
    {
        var test = Read(Path.Combine("tests", "edge-test.yaml"));

        Assert.Contains("helm.sh/hook: test", test, StringComparison.Ordinal);
        Assert.Contains("\"$EDGE/healthz/ready\"", test, StringComparison.Ordinal);
        Assert.Contains("\"$EDGE/v1/feed-state?ids=1\"", test, StringComparison.Ordinal);
        Assert.Contains("image: \"{{ $t.image.repository }}:{{ $t.image.tag }}\"", test, StringComparison.Ordinal);
        Assert.Contains("automountServiceAccountToken: false", test, StringComparison.Ordinal);
        Assert.Matches(@"securityContext:\s*\n\s*\{\{- toYaml \.Values\.edge\.podSecurityContext \| nindent 4 \}\}", test);
        Assert.Matches(@"securityContext:\s*\n\s*\{\{- toYaml \.Values\.edge\.securityContext \| nindent 8 \}\}", test);
        Assert.Matches(@"- name: TOKEN\s*\n\s*valueFrom:\s*\n\s*secretKeyRef:", test);
    }

    [Fact]
    public void EveryTemplate_HasBalancedActions()
    {
        foreach (var (name, text) in Templates())
        {
            var code = Comment().Replace(text, "");
            Assert.True(Regex.Count(code, @"\{\{") == Regex.Count(code, @"\}\}"), $"{name}: unbalanced {{{{ and }}}}");
            var opened = Regex.Count(code, @"\{\{-?\s*(if|range|with|define)\b");
            var closed = Regex.Count(code, @"\{\{-?\s*end\s*-?\}\}");
            Assert.True(opened == closed, $"{name}: {opened} if/range/with/define but {closed} end");
        }
    }

    private static string Read(string template) => File.ReadAllText(Repo.Template(template)).ReplaceLineEndings("\n");

    private static IEnumerable<(string Name, string Text)> Templates() =>
        Directory.GetFiles(Repo.Templates, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(Repo.Templates, f), File.ReadAllText(f).ReplaceLineEndings("\n")));

    private static string Section(string text, string start)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no {start}");
        var to = text.IndexOf("{{- end }}\n\n", from, StringComparison.Ordinal);
        return text[from..to];
    }

    [GeneratedRegex(@"(?m)^kind: (?<kind>Deployment|StatefulSet|Job|DaemonSet|ReplicaSet|CronJob|Pod)\s*$")]
    private static partial Regex WorkloadKind();

    [GeneratedRegex(@"- name: (?<name>[A-Z][A-Z0-9_]*)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^\s*\n\s*valueFrom:\s*\n\s*secretKeyRef:")]
    private static partial Regex SecretKeyRef();

    [GeneratedRegex("(PASSWORD|SECRET|TOKEN|_KEY|_USER|CREDENTIALS)$")]
    private static partial Regex CredentialName();

    [GeneratedRegex(@"\{\{-?\s*/\*[\s\S]*?\*/\s*-?\}\}")]
    private static partial Regex Comment();
}
