using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// aspirate-output rendered by the real kubectl with optional components of observability/ switched on the way a user
/// does it: by uncommenting their one line (<c># - otlp</c>) in observability/kustomization.yaml, in a copy.
/// </summary>
internal static class ComponentRender
{
    public static string SwitchFile => Path.Combine(RepositoryPaths.AspirateOutput, "observability", "kustomization.yaml");

    public static async Task<RenderedManifests> WithAsync(params string[] components)
    {
        var copy = Directory.CreateTempSubdirectory("aspirate-output-").FullName;
        try
        {
            TestFolders.Copy(RepositoryPaths.AspirateOutput, copy);
            var switchFile = Path.Combine(copy, "observability", "kustomization.yaml");
            var text = await File.ReadAllTextAsync(switchFile);
            foreach (var component in components)
            {
                var line = $"  # - {component}\n";
                Assert.True(text.Contains(line, StringComparison.Ordinal), $"observability/kustomization.yaml has no line `# - {component}` to uncomment");
                text = text.Replace(line, $"  - {component}\n", StringComparison.Ordinal);
            }
            await File.WriteAllTextAsync(switchFile, text);
            return await RenderedManifests.RenderAsync(copy);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
