using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The committed output holds every optional component the model offers as a plain-YAML kustomize Component, listed in
/// the top kustomization only when the AppHost's configuration switches it on; an overlay of one's own can include one.
/// </summary>
public sealed class OfferedComponentsTests : IDisposable
{
    private readonly string _overlay = Directory.CreateTempSubdirectory("overlay-").FullName;

    [Fact]
    public void Every_optional_component_is_in_the_committed_output_as_a_Component_and_none_is_listed_by_default()
    {
        string[] offered = ["observability/alerts", "observability/grafana", "observability/metrics", "observability/otlp", "traffic/gateway", "traffic/mesh"];

        foreach (var component in offered)
        {
            var kustomization = File.ReadAllText(Path.Combine(RepositoryPaths.AspirateOutput, component, "kustomization.yaml"));
            Assert.Contains("kind: Component", kustomization, StringComparison.Ordinal);
        }
        var top = File.ReadAllText(Path.Combine(RepositoryPaths.AspirateOutput, "kustomization.yaml"));
        Assert.EndsWith("components:\n- production\n", top, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("observability/metrics", "kind: PodMonitor")]
    [InlineData("traffic/gateway", "kind: HTTPRoute")]
    public async Task An_overlay_that_includes_an_offered_component_renders_its_objects(string component, string expected)
    {
        var output = Path.GetRelativePath(_overlay, RepositoryPaths.AspirateOutput).Replace('\\', '/');
        await File.WriteAllTextAsync(Path.Combine(_overlay, "kustomization.yaml"), $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [{output}]
            components: [{output}/{component}]
            """);

        var withComponent = (await ProcessRunner.RunAsync(RepositoryPaths.Kubectl, ["kustomize", _overlay], TimeSpan.FromMinutes(1))).EnsureSuccess("kubectl kustomize").StandardOutput;
        var without = (await ProcessRunner.RunAsync(RepositoryPaths.Kubectl, ["kustomize", RepositoryPaths.AspirateOutput], TimeSpan.FromMinutes(1))).EnsureSuccess("kubectl kustomize").StandardOutput;

        Assert.Contains(expected, withComponent, StringComparison.Ordinal);
        Assert.DoesNotContain(expected, without, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_overlay, recursive: true);
}
