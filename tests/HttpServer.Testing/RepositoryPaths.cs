using System.Reflection;

namespace HttpServer.Testing;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class RepositoryPaths
{
    public const string KubernetesSetupScript = "tests/setup/kubernetes.sh";

    /// <summary>The folder holding HttpServer.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The committed Kubernetes manifests (kustomize input).</summary>
    public static string AspirateOutput => Path.Combine(Root, "aspirate-output");

    /// <summary>The build configuration of the tests; the test projects build the Api and AppHost in the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string ApiAssembly => Path.Combine(Root, "HttpServer.Api", "bin", Configuration, "net10.0", "HttpServer.Api.dll");

    /// <summary>The kubectl that tests/setup/kubernetes.sh installs under .work/tools.</summary>
    public static string Kubectl => RequireTool(Path.Combine(Root, ".work", "tools", "kubectl", "kubectl"));

    /// <summary>The helm that tests/setup/kubernetes.sh installs beside it.</summary>
    public static string Helm => RequireTool(Path.Combine(Root, ".work", "tools", "kubectl", "helm"));

    /// <summary>The path itself, or an error that says which script installs it.</summary>
    public static string RequireTool(string path, string? result = null)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run `bash {KubernetesSetupScript}` (it installs kubectl and the validators under .work/tools).");
        }
        return result ?? path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HttpServer.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No HttpServer.sln above {AppContext.BaseDirectory}.");
    }
}
