namespace HttpServer.Conformance.Tests.Infrastructure;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The suite's own gitignored work folder (containers.conf, base image, ConfigMap volumes).</summary>
    public static string WorkDirectory => Path.Combine(Root, ".work", "podman");

    public static string SetupScript => Path.Combine(Root, "tests", "setup", "podman.sh");

    public static string ManifestsDirectory => Path.Combine(Root, "aspirate-output");

    public static string Kubectl => Path.Combine(Root, ".work", "tools", "kubectl", "kubectl");

    public static string TestResults => Path.Combine(Root, "TestResults");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HttpServer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No HttpServer.sln above {AppContext.BaseDirectory}");
    }
}
