using HttpServer.Testing;

namespace HttpServer.Conformance.Tests.Infrastructure;

/// <summary>The suite's own paths inside the repository; the shared ones are in <see cref="RepositoryPaths"/>.</summary>
public static class ConformancePaths
{
    /// <summary>The suite's own gitignored work folder (containers.conf, base image, ConfigMap volumes).</summary>
    public static string WorkDirectory => Path.Combine(RepositoryPaths.Root, ".work", "podman");

    public static string SetupScript => Path.Combine(RepositoryPaths.Root, "tests", "setup", "podman.sh");

    public static string TestResults => Path.Combine(RepositoryPaths.Root, "TestResults");
}
