namespace HttpServer.ServiceDefaults.Management;

/// <summary>The management port (section <c>Management</c>): metrics and operator endpoints off the public path.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The management listener's port, beside the public one(s); 0 keeps one port for everything. Read once at start.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    public bool Enabled => Port > 0;
}

[OptionsValidator]
internal sealed partial class ManagementOptionsValidator : IValidateOptions<ManagementOptions>;

/// <summary>The paths served only on the management port when it is on (the probes are served on every port).</summary>
internal static class ManagementPaths
{
    public const string Metrics = "/metrics";
    public const string Settings = "/settings";
    public const string ReadinessDisable = "/readyz/disable";
    public const string ReadinessEnable = "/readyz/enable";

    public static readonly string[] ManagementOnly = [Metrics, Settings, ReadinessDisable, ReadinessEnable];
}
