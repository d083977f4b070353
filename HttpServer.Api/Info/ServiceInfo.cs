namespace HttpServer.Api.Info;

/// <summary>
/// Who this instance is. VERSION comes from configuration (the environment variable, or a mounted
/// ConfigMap file) and is read on every call, so a reloaded value shows without a restart.
/// </summary>
internal sealed class ServiceInfo(IConfiguration configuration, IHostEnvironment environment)
{
    public const string VersionKey = "VERSION";
    public const string UnknownVersion = "unknown";

    public string Name { get; } = configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName;

    /// <summary>The VERSION setting, or "unknown" when it is unset or blank (the same everywhere it shows).</summary>
    public string Version => configuration[VersionKey] is { Length: > 0 } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : UnknownVersion;
}

internal sealed record VersionResponse(string Service, string Version, string Environment);
