using Microsoft.Extensions.Configuration;

namespace HttpServer.Testing;

/// <summary>
/// The Api's appsettings.json, the source of the defaults a deployment does not override, read with the configuration
/// library the app reads it with.
/// </summary>
public static class ApiAppSettings
{
    public static string Path => System.IO.Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "appsettings.json");

    private static readonly IConfiguration Configuration = new ConfigurationBuilder().AddJsonFile(Path).Build();

    /// <summary>The value of <paramref name="key"/>, written as in configuration (<c>A:B</c>) or in the environment (<c>A__B</c>); null when absent.</summary>
    public static string? Value(string key) => Configuration[key.Replace("__", ":", StringComparison.Ordinal)];
}
