using HttpServer.ServiceDefaults.Requests;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace HttpServer.ServiceDefaults.Management;

/// <summary>
/// GET /settings: every setting the service reads, its effective value and the provider it came from (the last that has the
/// key, as GetDebugView finds it), with secret-looking keys redacted.
/// </summary>
internal sealed class SettingsReporter(IConfiguration configuration, IEnumerable<OptionsCheck> checks, SettingsGuard guard,
    IOptionsMonitor<ServiceVersionOptions> version)
{
    // Read by ASP.NET Core, logging, service discovery and the OpenTelemetry SDK rather than by an options type of ours.
    private static readonly string[] FrameworkKeys =
    [
        "Logging", "ConnectionStrings", "services", "urls", "http_ports", "environment",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
    ];

    private static readonly DateTimeOffset StartedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public SettingsReport Report()
    {
        var root = (IConfigurationRoot)configuration;
        var settings = new SortedDictionary<string, SettingEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in checks.SelectMany(o => o.Effective(root)))
        {
            if (!AddConfigured(root, key, settings))
            {
                settings[key] = new SettingEntry(key, Format(value) is { } text ? SettingRedaction.Shown(key, text) : null, "default");
            }
        }
        foreach (var key in FrameworkKeys)
        {
            AddConfigured(root, key, settings);
        }
        return new SettingsReport(version.CurrentValue.Version, StartedAt, guard.LastReload, [.. settings.Values]);
    }

    private static bool AddConfigured(IConfigurationRoot root, string key, SortedDictionary<string, SettingEntry> settings)
    {
        var found = false;
        foreach (var (path, value) in root.GetSection(key).AsEnumerable().Where(e => e.Value is not null))
        {
            settings[path] = new SettingEntry(path, SettingRedaction.Shown(path, value!), Source(root.Providers.LastOrDefault(p => p.TryGet(path, out _))));
            found = true;
        }
        return found;
    }

    private static string Source(IConfigurationProvider? provider) => provider switch
    {
        GuardedConfigurationProvider => "mounted file",
        EnvironmentVariablesConfigurationProvider => "environment",
        FileConfigurationProvider file => file.Source.Path ?? "file",
        CommandLineConfigurationProvider => "command line",
        MemoryConfigurationProvider => "the service (derived)",
        null => "default",
        _ => provider.GetType().Name,
    };

    private static string? Format(object? value) => value switch
    {
        string[] items => string.Join(", ", items),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString(),
    };
}

/// <param name="Key">The configuration key, sections joined by ':' (<c>__</c> in an environment variable).</param>
/// <param name="Value">The effective value, or "(redacted)" when the key looks like a secret.</param>
/// <param name="Source">default, a file (appsettings.json), environment, mounted file, command line.</param>
public sealed record SettingEntry(string Key, string? Value, string Source);

public sealed record SettingsReport(string Version, DateTimeOffset StartedAt, ReloadOutcome? LastReload, IReadOnlyList<SettingEntry> Settings);
