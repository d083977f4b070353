using Microsoft.Extensions.Options;

namespace HttpServer.Api.Info;

/// <summary>Who this instance is: the service name, and the VERSION setting as it is now (it follows reloads).</summary>
internal sealed class ServiceInfo(IConfiguration configuration, IHostEnvironment environment, IOptionsMonitor<ServiceVersionOptions> version)
{
    public string Name { get; } = configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName;

    public string Version => version.CurrentValue.Version;
}

internal sealed record VersionResponse(string Service, string Version, string Environment);
