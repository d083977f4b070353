using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The committed output holds every optional component the model offers: as a plain-YAML kustomize Component, listed in
/// the top kustomization only when the AppHost's configuration switches it on, and in the chart behind
/// <c>&lt;folder&gt;.&lt;name&gt;.enabled</c>. An overlay that includes a component and the chart with its value set render the
/// same objects.
/// </summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed class OfferedComponentsTests(RenderedManifestsFixture committed) : IDisposable
{
    private static readonly string[] Offered =
        ["traffic/gateway", "traffic/canary", "traffic/mesh", "observability/otlp", "observability/metrics", "observability/alerts", "observability/grafana"];

    private readonly string _overlay = Directory.CreateTempSubdirectory("overlay-").FullName;

    [Fact]
    public void Every_optional_component_is_in_the_committed_output_as_a_Component_and_none_is_listed_by_default()
    {
        foreach (var component in Offered)
        {
            var kustomization = File.ReadAllText(Path.Combine(RepositoryPaths.AspirateOutput, component, "kustomization.yaml"));
            Assert.Contains("kind: Component", kustomization, StringComparison.Ordinal);
            var values = File.ReadAllText(Path.Combine(RepositoryPaths.AspirateOutput, "chart", "values.yaml"));
            Assert.Contains($"{component.Split('/')[1]}:\n    enabled: false\n", values, StringComparison.Ordinal);
        }
        var top = File.ReadAllText(Path.Combine(RepositoryPaths.AspirateOutput, "kustomization.yaml"));
        Assert.EndsWith("components:\n- production\n", top, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("traffic/gateway")]
    [InlineData("traffic/canary")]
    [InlineData("traffic/gateway", "traffic/mesh")] // the mesh needs the gateway
    [InlineData("observability/otlp")]
    [InlineData("observability/metrics")]
    [InlineData("observability/alerts")]
    [InlineData("observability/grafana")]
    [InlineData("traffic/gateway", "traffic/canary", "traffic/mesh", "observability/metrics")]
    [InlineData("traffic/canary", "observability/otlp", "observability/metrics", "observability/alerts", "observability/grafana")]
    public async Task An_overlay_that_includes_offered_components_and_the_chart_with_their_values_set_render_the_same_objects(params string[] components)
    {
        var output = Path.GetRelativePath(_overlay, RepositoryPaths.AspirateOutput).Replace('\\', '/');
        await File.WriteAllTextAsync(Path.Combine(_overlay, "kustomization.yaml"), $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [{output}]
            components: [{string.Join(", ", components.Select(c => $"{output}/{c}"))}]
            """);

        var kustomize = await RenderedManifests.RenderAsync(_overlay);
        var helm = RenderedManifests.Parse(await HelmChartTests.TemplateAsync([.. components.SelectMany(c => new[] { "--set", $"{c.Replace('/', '.')}.enabled=true" })]));

        Assert.True(kustomize.Objects.Count > committed.Manifests.Objects.Count || components.Contains("traffic/gateway"), "the components added nothing");
        Assert.NotEqual(committed.Manifests.Yaml, kustomize.Yaml);
        HelmChartTests.AssertSameObjects(kustomize, helm);
    }

    public void Dispose() => Directory.Delete(_overlay, recursive: true);
}
