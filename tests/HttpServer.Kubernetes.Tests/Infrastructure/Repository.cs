using System.Reflection;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from, and the tools tests/setup/kubernetes.sh installs.</summary>
internal static class Repository
{
    public const string SetupScript = "tests/setup/kubernetes.sh";

    public static string Root { get; } = FindRoot();

    public static string AspirateOutput => Path.Combine(Root, "aspirate-output");

    /// <summary>The build configuration of this test assembly; the AppHost and the Api are built in the same one.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string ApiAssembly => Path.Combine(Root, "HttpServer.Api", "bin", Configuration, "net10.0", "HttpServer.Api.dll");

    public static string Kubectl => RequireTool(Path.Combine(Root, ".work", "tools", "kubectl", "kubectl"));

    public static string NodeModules => RequireTool(Path.Combine(Root, ".work", "tools", "node", "node_modules", "@monokle", "validation"),
        Path.Combine(Root, ".work", "tools", "node", "node_modules"));

    /// <summary>node (20 or later) from PATH: it runs the npm validators.</summary>
    public static string Node { get; } = FindOnPath("node")
        ?? throw new InvalidOperationException($"node is not on PATH: install Node.js 20+ (Debian: apt-get install nodejs npm), then run `bash {SetupScript}`.");

    public static string ValidatorScript => Path.Combine(AppContext.BaseDirectory, "Validation", "validate-manifests.mjs");

    private static string RequireTool(string path, string? result = null)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run `bash {SetupScript}` (it installs kubectl and the validators under .work/tools).");
        }
        return result ?? path;
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

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
