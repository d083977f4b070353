using System.Text.Json.Nodes;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Kubernetes.Tests.Observability;
using HttpServer.Testing;
using k8s;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The Helm chart generated beside the kustomize layers (aspirate-output/chart): it lints, renders with its defaults the
/// objects `kubectl kustomize` renders, passes the same offline validation, and refuses values that break the grace period.
/// </summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed class HelmChartTests(RenderedManifestsFixture kustomize)
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
    public async Task Each_observability_value_renders_what_its_kustomize_component_renders_field_for_field(params string[] components)
    {
        var kustomizeWith = await ComponentRender.WithAsync(components);
        var helm = RenderedManifests.Parse(await TemplateAsync([.. components.SelectMany(c => new[] { "--set", $"observability.{c}.enabled=true" })]));

        Assert.True(kustomizeWith.Objects.Count > kustomize.Manifests.Objects.Count, "the component added nothing to the kustomize output");
        AssertSameObjects(kustomizeWith, helm);
        // What the comparison leaves out: every object the chart renders, the components' own included, says Helm manages it.
        Assert.All(helm.Objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o =>
        {
            Assert.Equal("Helm", o.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.StartsWith("httpserver-", o.Metadata.Labels["helm.sh/chart"], StringComparison.Ordinal);
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_charts_output_passes_the_offline_schema_and_Pod_Security_validation(bool everyObservabilityComponentOn)
    {
        var yaml = await TemplateAsync(everyObservabilityComponentOn
            ? [.. MonitoringRender.Components.SelectMany(c => new[] { "--set", $"observability.{c}.enabled=true" })]
            : []);
        var report = await ManifestValidationTests.ValidateAsync(yaml);

        Assert.Equal(RenderedManifests.Parse(yaml).Objects.Count, report.Objects);
        Assert.True(report.SchemaErrors.Count == 0, string.Join('\n', report.SchemaErrors));
        Assert.True(report.PolicyErrors.Count == 0, string.Join('\n', report.PolicyErrors));
    }

    [Theory]
    [InlineData("lifecycle.terminationGracePeriodSeconds=35")]
    [InlineData("lifecycle.shutdownTimeoutSeconds=30")]
    [InlineData("lifecycle.preStopSeconds=10")]
    public async Task Values_that_break_the_grace_period_inequality_make_helm_template_fail(string value)
    {
        var result = await ProcessRunner.RunAsync(Helm, ["template", "httpserver", Chart, "--set", value], TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("must exceed preStopSeconds + drainDelaySeconds + shutdownTimeoutSeconds + marginSeconds", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_replicas_timings_and_Ingress_come_from_the_values()
    {
        var helm = RenderedManifests.Parse(await TemplateAsync("--set", "image.repository=registry.example.org/httpserver-api", "--set", "image.tag=2.0.0",
            "--set", "replicas=3", "--set", "lifecycle.terminationGracePeriodSeconds=60", "--set", "lifecycle.shutdownTimeoutSeconds=40",
            "--set", "ingress.host=app.example.org", "--set", "ingress.className=traefik"));

        Assert.All(helm.Deployments, d =>
        {
            Assert.Equal("registry.example.org/httpserver-api:2.0.0", d.Spec.Template.Spec.Containers[0].Image);
            Assert.Equal(3, d.Spec.Replicas);
            Assert.Equal(60, d.Spec.Template.Spec.TerminationGracePeriodSeconds);
            Assert.Contains(d.Spec.Template.Spec.Containers[0].Env, e => e.Name == "Lifecycle__ShutdownTimeoutSeconds" && e.Value == "40");
        });
        var ingress = Assert.Single(helm.Objects.OfType<V1Ingress>());
        Assert.Equal("traefik", ingress.Spec.IngressClassName);
        Assert.Equal("app.example.org", ingress.Spec.Rules[0].Host);
        Assert.Equal(["app.example.org"], ingress.Spec.Tls[0].Hosts);
    }

    internal static async Task<string> TemplateAsync(params string[] settings) => await TemplateChartAsync(Chart, settings);

    internal static async Task<string> TemplateChartAsync(string chart, params string[] settings) =>
        (await ProcessRunner.RunAsync(Helm, ["template", "httpserver", chart, .. settings], TimeSpan.FromMinutes(1))).EnsureSuccess("helm template").StandardOutput;

    /// <summary>
    /// Each object as JSON by kind/name, without what legitimately differs: who manages it (managed-by, helm.sh/chart).
    /// Names are compared as they are: the chart gives its environment ConfigMaps kustomize's content hash too.
    /// </summary>
    private static Dictionary<string, JsonNode> Normalized(IEnumerable<object> objects) => objects.ToDictionary(
        o => { var k = (IKubernetesObject<V1ObjectMeta>)o; return $"{k.Kind}/{k.Metadata.Name}"; },
        o => Strip(JsonNode.Parse(KubernetesJson.Serialize(o))!));

    private static JsonNode Strip(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            obj.Remove("app.kubernetes.io/managed-by");
            obj.Remove("helm.sh/chart");
            foreach (var child in obj.Select(p => p.Value).OfType<JsonNode>().ToList())
            {
                Strip(child);
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
}
