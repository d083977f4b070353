using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The output published with optional components switched on the way a user does it: the AppHost's configuration
/// (<c>--Kubernetes:Observability:Otlp=true</c>), through the real publish step, then rendered by kubectl and by helm.
/// </summary>
internal static class ComponentRender
{
    public static async Task<RenderedManifests> WithAsync(params string[] components) => (await BothAsync(components)).Kustomize;

    public static Task<(RenderedManifests Kustomize, RenderedManifests Helm)> BothAsync(params string[] components) =>
        BothWithAsync([.. components.Select(c => $"--Kubernetes:Observability:{char.ToUpperInvariant(c[0])}{c[1..]}=true")]);

    /// <summary>Published with the given configuration switches (<c>--Kubernetes:Gateway:Enabled=true</c>).</summary>
    public static async Task<(RenderedManifests Kustomize, RenderedManifests Helm)> BothWithAsync(string[] switches)
    {
        var output = Path.Combine(Path.GetTempPath(), $"aspirate-output-{Guid.NewGuid():N}");
        try
        {
            var result = await AspireCli.RunStepAsync("kubernetes-manifests", output, switches);
            Assert.True(result.ExitCode == 0, result.ToString());
            return (await RenderedManifests.RenderAsync(output), RenderedManifests.Parse(await HelmChartTests.TemplateChartAsync(Path.Combine(output, "chart"))));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
