using Microsoft.Extensions.Primitives;

namespace HttpServer.Api.Info;

/// <summary>
/// Who this instance is. VERSION comes from configuration (the environment variable, or a mounted
/// ConfigMap file); it is kept and re-read whenever configuration reloads, so a reloaded value shows
/// without a restart and no request pays for a lookup through every configuration provider.
/// </summary>
internal sealed class ServiceInfo
{
    public const string VersionKey = "VERSION";
    public const string UnknownVersion = "unknown";

    public ServiceInfo(IConfiguration configuration, IHostEnvironment environment)
    {
        Name = configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName;
        Version = ReadVersion(configuration);
        ChangeToken.OnChange(configuration.GetReloadToken, () => Version = ReadVersion(configuration));
    }

    public string Name { get; }

    /// <summary>The VERSION setting, or "unknown" when it is unset or blank (the same everywhere it shows).</summary>
    public string Version { get; private set; }

    private static string ReadVersion(IConfiguration configuration) =>
        configuration[VersionKey] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : UnknownVersion;
}

internal sealed record VersionResponse(string Service, string Version, string Environment);
