using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>Every production setting is documented: docs/kubernetes.md names each key of the section Kubernetes.</summary>
public sealed class SettingsDocumentationTests
{
    [Fact]
    public void Docs_name_every_key_of_the_Kubernetes_settings()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "kubernetes.md"));
        var keys = Keys(typeof(KubernetesSettings), "").ToList();

        Assert.True(keys.Count >= 20, string.Join(", ", keys));
        // A nested key may be written out (`Lifecycle:DrainDelaySeconds`) or after its parent in the same cell (`, :TimeoutSeconds`).
        Assert.All(keys, key => Assert.True(docs.Contains($"`{key}", StringComparison.Ordinal)
            || (key.Contains(':', StringComparison.Ordinal) && docs.Contains($"`:{key[(key.LastIndexOf(':') + 1)..]}", StringComparison.Ordinal)),
            $"docs/kubernetes.md does not name Kubernetes:{key}"));
    }

    [Fact]
    public void Docs_name_every_cluster_wide_key_in_one_paragraph()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "kubernetes.md")).ReplaceLineEndings("\n");
        var paragraph = docs.Split("\n\n").Single(p => p.StartsWith("Cluster-wide keys", StringComparison.Ordinal));

        Assert.All(ClusterWideSettings.Keys, key => Assert.True(paragraph.Contains($"`{key}`", StringComparison.Ordinal)
            || paragraph.Contains($"`{key}:*`", StringComparison.Ordinal), $"docs/kubernetes.md's cluster-wide keys do not name Kubernetes:{key}"));
    }

    private static IEnumerable<string> Keys(Type type, string prefix) =>
        type.GetProperties().Where(p => p.CanWrite).SelectMany(p => p.PropertyType.IsClass && p.PropertyType != typeof(string)
            ? Keys(p.PropertyType, $"{prefix}{p.Name}:")
            : [$"{prefix}{p.Name}"]);
}
