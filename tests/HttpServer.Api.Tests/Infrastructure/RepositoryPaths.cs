namespace HttpServer.Api.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding HttpServer.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Api built in the same configuration as these tests (they reference it, so it is built).</summary>
    public static string ApiDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(Root, "HttpServer.Api", "bin", configuration, "net10.0", "HttpServer.Api.dll");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HttpServer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("HttpServer.sln not found above " + AppContext.BaseDirectory);
    }
}
