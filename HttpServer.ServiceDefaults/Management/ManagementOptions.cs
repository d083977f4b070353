namespace HttpServer.ServiceDefaults.Management;

/// <summary>The management port (section <c>Management</c>): metrics, probes and operator endpoints off the public path.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>
    /// The port of the management listener, beside the public one(s); 0 keeps one port for everything (metrics included).
    /// Read once at start: Kestrel binds it then.
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    public bool Enabled => Port > 0;
}

[OptionsValidator]
internal sealed partial class ManagementOptionsValidator : IValidateOptions<ManagementOptions>;
