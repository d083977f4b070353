using HttpServer.AppHost.Kubernetes;

namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>
/// The chart offers each observability component from the component's own files; what the chart could not express must
/// stop the generation with a message, not silently drop a setting from the Helm output.
/// </summary>
public sealed class ChartComponentReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("observability-").FullName;

    [Theory]
    [InlineData("patchesStrategicMerge: [env.yaml]", "patchesStrategicMerge")]
    [InlineData("namePrefix: obs-", "namePrefix")]
    [InlineData("patches:\n- path: env.yaml\n  target: {kind: Deployment, name: backend}", "Property 'name' not found")]
    [InlineData("patches:\n- patch: '[]'\n  target: {kind: Deployment, labelSelector: app=x}", "patch")]
    [InlineData("patches:\n- path: env.yaml\n  target: {kind: Deployment, labelSelector: 'app in (x)'}", "target: it needs a labelSelector")]
    [InlineData("patches:\n- path: env.yaml\n  target: {kind: Service, labelSelector: app=x}", "a patch of Service")]
    [InlineData("patches:\n- path: env.yaml\n  target: {kind: Deployment, labelSelector: app=x}", "the JSON patch operation replace /spec/replicas")]
    [InlineData("configMapGenerator:\n- name: dashboards\n  files: [env.yaml]", "ConfigMap dashboards with a hash suffix")]
    [InlineData("resources: [../secret.yaml]", "'../secret.yaml' is not a file of the component")]
    public void A_component_the_chart_cannot_express_stops_the_generation_with_the_reason(string kustomization, string reason)
    {
        var component = Directory.CreateDirectory(Path.Combine(_folder, "custom")).FullName;
        File.WriteAllText(Path.Combine(component, "env.yaml"), "- {op: replace, path: /spec/replicas, value: 3}\n");
        File.WriteAllText(Path.Combine(component, "kustomization.yaml"), "kind: Component\n" + kustomization + "\n");

        var error = Assert.Throws<ManifestGenerationException>(() => ObservabilityComponent.ReadAll(_folder));

        Assert.Contains("observability/custom", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_whose_name_cannot_be_a_value_name_stops_the_generation()
    {
        var component = Directory.CreateDirectory(Path.Combine(_folder, "otlp-collector")).FullName;
        File.WriteAllText(Path.Combine(component, "kustomization.yaml"), "kind: Component\n");

        var error = Assert.Throws<ManifestGenerationException>(() => ObservabilityComponent.ReadAll(_folder));

        Assert.Contains("observability/otlp-collector", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_switch_that_names_no_component_folder_stops_the_deploy()
    {
        File.WriteAllText(Path.Combine(_folder, "kustomization.yaml"), "kind: Component\ncomponents:\n  - ./otlp/\n  - tracing\n");

        var error = Assert.Throws<ManifestGenerationException>(() => ObservabilityComponent.SwitchedOn(_folder, ["otlp"]));

        Assert.Contains("'tracing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repositorys_components_are_read_with_their_objects_patches_and_generated_ConfigMaps()
    {
        var components = ObservabilityComponent.ReadAll(Path.Combine(HttpServer.Testing.RepositoryPaths.AspirateOutput, "observability"));

        Assert.Equal(MonitoringRender.Components.Order(StringComparer.Ordinal), components.Select(c => c.Name));
        var otlp = components.Single(c => c.Name == "otlp");
        Assert.Contains(otlp.Environment, e => e.Variable.Name == "OTEL_EXPORTER_OTLP_ENDPOINT");
        Assert.Single(otlp.Egress);
        Assert.Equal("httpserver-grafana-dashboard", Assert.Single(components.Single(c => c.Name == "grafana").ConfigMaps).Name);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
