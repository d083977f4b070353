using Aspire.Hosting;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>The generator's output for services of a test's own, written to a temporary folder and rendered by the real kubectl.</summary>
internal static class GeneratedOutput
{
    /// <summary>The hand-kept deployment assets (dashboard JSON, alert rules and their promtool tests).</summary>
    public static string Assets => Path.Combine(RepositoryPaths.Root, "HttpServer.AppHost", KubernetesManifestsStep.AssetsFolder);

    /// <summary>Writes the kustomize layers and the chart for <paramref name="services"/> into <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyList<ServiceDescription> services, ObservabilitySettings? observability = null) =>
        ManifestWriter.Write(folder, KubernetesManifestsStep.Generate(services, observability ?? new ObservabilitySettings(), Assets));

    public static async Task<RenderedManifests> RenderAsync(IReadOnlyList<ServiceDescription> services)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"generated-{Guid.NewGuid():N}");
        try
        {
            Write(folder, services);
            return await RenderedManifests.RenderAsync(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
