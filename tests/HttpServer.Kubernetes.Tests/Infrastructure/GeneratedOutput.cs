using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>The generator's output for services of a test's own, written to a temporary folder and rendered by the real kubectl.</summary>
internal static class GeneratedOutput
{
    /// <summary>Writes the kustomize layers and the chart for <paramref name="services"/> into <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyList<ServiceDescription> services)
    {
        ManifestWriter.Write(folder, [.. ManifestGenerator.Generate(services, ["production"]), .. HelmChartGenerator.Generate(services, new ProductionOptions())]);
        TestFolders.Copy(Path.Combine(RepositoryPaths.AspirateOutput, "production"), Path.Combine(folder, "production"));
    }

    public static async Task<RenderedManifests> RenderAsync(IReadOnlyList<ServiceDescription> services)
    {
        var folder = Directory.CreateTempSubdirectory("generated-").FullName;
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
