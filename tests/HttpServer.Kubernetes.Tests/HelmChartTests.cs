using System.Text.Json.Nodes;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The Helm chart generated beside the kustomize layers (aspirate-output/chart): it lints, renders with its defaults the
/// objects `kubectl kustomize` renders, passes the same offline validation, and refuses values that break the grace period.
/// The chart is the same object set as the kustomize layers, written by another writer: these comparisons are its proof.
/// </summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed partial class HelmChartTests(RenderedManifestsFixture kustomize)
{
    private static string Chart => Path.Combine(RepositoryPaths.AspirateOutput, "chart");

    internal static string Helm => RepositoryPaths.Helm;

    [Fact]
    public async Task Helm_lint_passes_on_the_generated_chart()
    {
        var result = await ProcessRunner.RunAsync(Helm, ["lint", "--strict", Chart], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Helm_template_with_default_values_renders_the_kustomize_objects_field_for_field()
    {
        var helm = RenderedManifests.Parse(await TemplateAsync());

        AssertSameObjects(kustomize.Manifests, helm);
    }

    [Theory]
    [InlineData("otlp")]
    [InlineData("metrics")]
    [InlineData("alerts")]
    [InlineData("grafana")]
    [InlineData("otlp", "metrics", "alerts", "grafana")]
    public async Task Each_observability_switch_renders_the_same_objects_through_kustomize_and_Helm_field_for_field(params string[] components)
    {
        var (kustomizeWith, helm) = await ComponentRender.BothAsync(components);

        Assert.True(kustomizeWith.Objects.Count > kustomize.Manifests.Objects.Count, "the component added nothing to the kustomize output");
        AssertSameObjects(kustomizeWith, helm);
        // What the comparison leaves out: every object the chart renders, the components' own included, says Helm manages it.
        var objects = helm.Objects.Select(o => o is CustomResource c ? c.Metadata : ((IMetadata<V1ObjectMeta>)o).Metadata).ToList();
        Assert.NotEmpty(objects);
        Assert.All(objects, o =>
        {
            Assert.Equal("Helm", o.Labels["app.kubernetes.io/managed-by"]);
            Assert.StartsWith("httpserver-", o.Labels["helm.sh/chart"], StringComparison.Ordinal);
        });
    }

    internal static void AssertSameObjects(RenderedManifests kustomize, RenderedManifests helm)
    {
        var expected = Normalized(kustomize.Objects);
        var actual = Normalized(helm.Objects);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, node) in expected)
        {
            Assert.True(JsonNode.DeepEquals(node, actual[key]), $"{key} differs:\nkustomize: {node.ToJsonString()}\nhelm:      {actual[key].ToJsonString()}");
        }
    }

    [Fact]
    public async Task The_charts_output_passes_the_offline_schema_and_Pod_Security_validation()
    {
        var yaml = await TemplateAsync();
        var report = await ManifestValidationTests.ValidateAsync(yaml);

        Assert.Equal(RenderedManifests.Parse(yaml).Objects.Count, report.Objects);
        Assert.True(report.SchemaErrors.Count == 0, string.Join('\n', report.SchemaErrors));
        Assert.True(report.PolicyErrors.Count == 0, string.Join('\n', report.PolicyErrors));
    }

    [Theory]
    [InlineData("services.backend.lifecycle.terminationGracePeriodSeconds=35")]
    [InlineData("services.frontend.lifecycle.terminationGracePeriodSeconds=40", "services.frontend.lifecycle.shutdownTimeoutSeconds=30")]
    [InlineData("services.backend.lifecycle.terminationGracePeriodSeconds=40", "services.backend.lifecycle.preStopSeconds=10")]
    public async Task Values_that_break_the_grace_period_inequality_make_helm_template_fail(params string[] values)
    {
        var result = await ProcessRunner.RunAsync(Helm, ["template", "httpserver", Chart, .. values.SelectMany(v => new[] { "--set", v })], TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("must be 0 (computed) or at least preStopSeconds + drainDelaySeconds + shutdownTimeoutSeconds + marginSeconds", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grace_period_of_0_is_computed_from_the_timings_as_the_AppHosts_setting_is()
    {
        var helm = RenderedManifests.Parse(await TemplateAsync("--set", "services.backend.lifecycle.preStopSeconds=10"));

        Assert.Equal(0, new LifecycleSettings().TerminationGracePeriodSeconds);
        Assert.Equal(new LifecycleSettings { PreStopSeconds = 10 }.GracePeriodSeconds, helm.Deployments.Single(d => d.Metadata.Name == "backend").Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Equal(new LifecycleSettings().GracePeriodSeconds, helm.Deployments.Single(d => d.Metadata.Name == "frontend").Spec.Template.Spec.TerminationGracePeriodSeconds);
    }

    [Theory]
    [InlineData("--set", "services.backend.minReplica=3", "minReplica")]
    [InlineData("--set", "ingres.host=app.example.org", "ingres")]
    [InlineData("--set", "image.tag=2", "/image/tag")]
    [InlineData("--set-string", "services.backend.maxReplicas=6", "/services/backend/maxReplicas")]
    [InlineData("--set", "services.backend.settings.FaultInjection__ErrorRate=1", "FaultInjection__ErrorRate")]
    public async Task A_misspelt_value_or_one_of_the_wrong_type_is_refused_by_the_values_schema_naming_it(string option, string value, string named)
    {
        var result = await ProcessRunner.RunAsync(Helm, ["template", "httpserver", Chart, option, value], TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_autoscaler_range_timings_and_Ingress_come_from_the_values()
    {
        var helm = RenderedManifests.Parse(await TemplateAsync("--set", "image.repository=registry.example.org/httpserver-api", "--set", "image.tag=2.0.0",
            "--set", "services.backend.minReplicas=3", "--set", "services.backend.lifecycle.terminationGracePeriodSeconds=60",
            "--set", "services.backend.lifecycle.shutdownTimeoutSeconds=40", "--set", "ingress.host=app.example.org", "--set", "ingress.className=traefik",
            "--set", "ingress.certManagerClusterIssuer=letsencrypt"));

        var deployments = helm.Deployments.ToList();
        Assert.Equal(2, deployments.Count);
        Assert.All(deployments, d =>
        {
            Assert.Equal("registry.example.org/httpserver-api:2.0.0", d.Spec.Template.Spec.Containers[0].Image);
            Assert.Contains(d.Spec.Template.Spec.Containers[0].Env, e => e.Name == "VERSION" && e.Value == "2.0.0");
            Assert.Equal("2.0.0", d.Spec.Template.Metadata.Labels["app.kubernetes.io/version"]);
        });
        var backend = deployments.Single(d => d.Metadata.Name == "backend");
        Assert.Equal(3, helm.Objects.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Metadata.Name == "backend").Spec.MinReplicas);
        Assert.Equal(60, backend.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Contains(backend.Spec.Template.Spec.Containers[0].Env, e => e.Name == "Lifecycle__ShutdownTimeoutSeconds" && e.Value == "40");
        Assert.Equal(2, helm.Objects.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Metadata.Name == "frontend").Spec.MinReplicas); // each service has its own values
        var ingress = Assert.Single(helm.Objects.OfType<V1Ingress>());
        Assert.Equal("traefik", ingress.Spec.IngressClassName);
        Assert.Equal("app.example.org", ingress.Spec.Rules[0].Host);
        Assert.Equal(["app.example.org"], ingress.Spec.Tls[0].Hosts);
        Assert.Equal("letsencrypt", ingress.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
    }

    [Fact]
    public async Task The_image_digest_value_pins_the_pods_image_while_the_tag_stays_the_version()
    {
        var helm = RenderedManifests.Parse(await TemplateAsync("--set", "image.repository=localhost:5001/acme/httpserver-api",
            "--set-string", "image.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));

        var deployments = helm.Deployments.ToList();
        Assert.Equal(2, deployments.Count);
        Assert.All(deployments, d =>
        {
            Assert.Equal("localhost:5001/acme/httpserver-api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", d.Spec.Template.Spec.Containers[0].Image);
            Assert.Contains(d.Spec.Template.Spec.Containers[0].Env, e => e.Name == "VERSION" && e.Value == "1.0.0");
        });
    }

    [Fact]
    public async Task The_log_level_command_of_the_operations_page_changes_one_services_live_settings_and_no_pod_template()
    {
        var before = RenderedManifests.Parse(await TemplateAsync());
        var after = RenderedManifests.Parse(await TemplateAsync("--set-string", "services.backend.settings.Logging__LogLevel__Default=Debug"));

        Assert.Equal("Information", before.ConfigMap("backend-settings", null).Data["Logging__LogLevel__Default"]);
        Assert.Equal("Debug", after.ConfigMap("backend-settings", null).Data["Logging__LogLevel__Default"]);
        Assert.Equal("Information", after.ConfigMap("frontend-settings", null).Data["Logging__LogLevel__Default"]);
        Assert.Equal("0", after.ConfigMap("backend-settings", null).Data["FaultInjection__ErrorRate"]); // the other settings stay
        Assert.Equal(KubernetesYaml.Serialize(before.Deployments.Select(d => d.Spec.Template).ToList()),
            KubernetesYaml.Serialize(after.Deployments.Select(d => d.Spec.Template).ToList())); // a reload, not a rollout
        Assert.Contains("--set-string services.backend.settings.Logging__LogLevel__Default=Debug",
            await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "operations.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_environment_changes_the_pod_templates_checksum_so_Helm_rolls_the_pods()
    {
        var chart = Path.Combine(Path.GetTempPath(), $"chart-{Guid.NewGuid():N}");
        TestFolders.Copy(Chart, chart);
        try
        {
            var before = Checksum(RenderedManifests.Parse(await TemplateChartAsync(chart)));
            var environment = Path.Combine(chart, "templates", "backend-env.yaml");
            await File.WriteAllTextAsync(environment, (await File.ReadAllTextAsync(environment)).Replace("HTTP_PORTS: \"8080\"", "HTTP_PORTS: \"8081\"", StringComparison.Ordinal));
            var after = Checksum(RenderedManifests.Parse(await TemplateChartAsync(chart)));

            Assert.Equal(before["frontend"], after["frontend"]);
            Assert.NotEqual(before["backend"], after["backend"]);
        }
        finally
        {
            Directory.Delete(chart, recursive: true);
        }
    }

    private static Dictionary<string, string> Checksum(RenderedManifests helm) =>
        helm.Deployments.ToDictionary(d => d.Metadata.Name, d => d.Spec.Template.Metadata.Annotations["checksum/config"]);

    internal static async Task<string> TemplateAsync(params string[] settings) => await TemplateChartAsync(Chart, settings);

    internal static async Task<string> TemplateChartAsync(string chart, params string[] settings) =>
        (await ProcessRunner.RunAsync(Helm, ["template", "httpserver", chart, .. settings], TimeSpan.FromMinutes(1))).EnsureSuccess("helm template").StandardOutput;

    /// <summary>
    /// Each object as JSON by kind/name, without what legitimately differs: who manages it (managed-by, helm.sh/chart), how
    /// a changed environment rolls the pods (kustomize's hashed ConfigMap name, Helm's checksum/config annotation), and an
    /// empty annotations map (Helm's when no cert-manager issuer is named).
    /// </summary>
    private static Dictionary<string, JsonNode> Normalized(IEnumerable<object> objects)
    {
        var json = objects.Select(o => Strip(JsonNode.Parse(KubernetesJson.Serialize(o))!)).ToList();
        Assert.NotEmpty(json);
        return json.ToDictionary(o => $"{o["kind"]}/{o["metadata"]!["name"]}", o => o);
    }

    private static JsonNode Strip(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            obj.Remove("app.kubernetes.io/managed-by");
            obj.Remove("helm.sh/chart");
            obj.Remove("checksum/config");
            if (obj["annotations"] is JsonObject { Count: 0 })
            {
                obj.Remove("annotations");
            }
            foreach (var (key, value) in obj.ToList())
            {
                if (key == "name" && value is JsonValue v && v.TryGetValue<string>(out var name) && EnvironmentConfigMap().Match(name) is { Success: true } match)
                {
                    obj["name"] = match.Groups[1].Value;
                }
                else if (value is not null)
                {
                    Strip(value);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.OfType<JsonNode>())
            {
                Strip(child);
            }
        }
        return node;
    }

    // kustomize's configMapGenerator name: the ConfigMap's own, a dash, 10 characters of content hash.
    [System.Text.RegularExpressions.GeneratedRegex("^(.+-env)-[a-z0-9]{10}$")]
    private static partial System.Text.RegularExpressions.Regex EnvironmentConfigMap();
}
