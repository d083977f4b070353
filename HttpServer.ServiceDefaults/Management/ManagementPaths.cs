namespace HttpServer.ServiceDefaults.Management;

/// <summary>
/// The paths served only on the management port when it is on (the probes are served on every port). The AppHost compiles
/// this file in too: the manifests name the scrape path from it.
/// </summary>
internal static class ManagementPaths
{
    public const string Metrics = "/metrics";
    public const string Settings = "/settings";
    public const string ReadinessDisable = "/readyz/disable";
    public const string ReadinessEnable = "/readyz/enable";

    public static readonly string[] ManagementOnly = [Metrics, Settings, ReadinessDisable, ReadinessEnable];
}
