using System.Diagnostics;

namespace HttpServer.Testing;

/// <summary>
/// How the Api under test is started: the build in the tests' configuration, or the one HTTPSERVER_API_PATH names
/// (a .dll run with dotnet, or a native executable), in Production, with nothing of the test runner's own
/// environment that the app reads.
/// </summary>
internal static class ApiStartInfo
{
    public static ProcessStartInfo Create(IReadOnlyDictionary<string, string?>? environment)
    {
        var path = Environment.GetEnvironmentVariable("HTTPSERVER_API_PATH") ?? RepositoryPaths.ApiAssembly;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: build the solution first.");
        }
        var native = !path.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(native ? path : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (!native)
        {
            start.ArgumentList.Add(path);
        }
        foreach (var key in start.Environment.Keys.Where(IsAppSetting).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value; // null removes it
        }
        return start;
    }

    private static bool IsAppSetting(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase) || key.Contains("__", StringComparison.Ordinal)
        || key is "VERSION" or "HTTP_PORTS" or "APP_CONFIG_DIR";
}
