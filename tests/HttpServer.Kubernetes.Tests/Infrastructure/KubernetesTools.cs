using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>The npm validators tests/setup/kubernetes.sh installs, and the node that runs them.</summary>
internal static class KubernetesTools
{
    public static string NodeModules => RepositoryPaths.RequireTool(
        Path.Combine(RepositoryPaths.Root, ".work", "tools", "node", "node_modules", "@monokle", "validation"),
        Path.Combine(RepositoryPaths.Root, ".work", "tools", "node", "node_modules"));

    /// <summary>node (20 or later) from PATH: it runs the npm validators.</summary>
    public static string Node { get; } = FindOnPath("node")
        ?? throw new InvalidOperationException($"node is not on PATH: install Node.js 20+ (Debian: apt-get install nodejs npm), then run `bash {RepositoryPaths.KubernetesSetupScript}`.");

    /// <summary>Node 22 from tests/setup/observability.sh: the CRD models (@kubernetes-models/prometheus-operator) need it.</summary>
    public static string Node22 => ObservabilityTool(Path.Combine(RepositoryPaths.Root, ".work", "tools", "node22", "bin", "node"));

    /// <summary>The npm CRD models tests/setup/observability.sh installs.</summary>
    public static string CrdModules => ObservabilityTool(Path.Combine(RepositoryPaths.Root, ".work", "tools", "crd-models", "node_modules"));

    /// <summary>A tool tests/setup/observability.sh installs (Node 22, the CRD models, Debian's prometheus and promtool).</summary>
    public static string ObservabilityTool(string path) => File.Exists(path) || Directory.Exists(path) ? path
        : throw new InvalidOperationException($"{path} is missing: run `bash tests/setup/observability.sh`.");

    public static string ValidatorScript => Path.Combine(AppContext.BaseDirectory, "Validation", "validate-manifests.mjs");

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
}
