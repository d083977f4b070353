using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// Configuration is input: every value is judged by the registered <see cref="SettingsCheck"/>s. At start a bad value stops the
/// server (SettingsCheckingProviderFactory); on a reload of the mounted ConfigMap a bad value is refused and
/// the last good configuration stays whole, with one log line naming the key and a metric, until a valid change.
/// </summary>
public sealed partial class SettingsGuard
{
    public const string MeterName = "HttpServer.Configuration";

    private readonly SettingsCheck[] _checks;
    private readonly ILogger<SettingsGuard> _logger;
    private readonly Counter<long> _reloads;
    private IConfigurationRoot? _root;
    private volatile bool _lastReloadAccepted = true;

    /// <summary>The last reload judged since start (null: none yet), as /settings shows it.</summary>
    public ReloadOutcome? LastReload { get; private set; }

    public SettingsGuard(IEnumerable<SettingsCheck> checks, ILogger<SettingsGuard> logger, IMeterFactory meterFactory)
    {
        _checks = [.. checks];
        _logger = logger;
        var meter = meterFactory.Create(MeterName);
        _reloads = meter.CreateCounter<long>("httpserver.configuration.reloads",
            description: "Reloads of the mounted configuration, by result: applied, or rejected (the last good configuration stays).");
        meter.CreateObservableGauge("httpserver.configuration.last_reload_success", () => _lastReloadAccepted ? 1 : 0,
            description: "1 when the last reload of the mounted configuration was applied, 0 when it was rejected.");
    }

    /// <summary>From now on, every reload of a guarded provider (the mounted directory) is judged before it applies.</summary>
    public void Guard(IConfigurationRoot root)
    {
        _root = root;
        foreach (var guarded in root.Providers.OfType<GuardedConfigurationProvider>())
        {
            guarded.Accept = candidate => Judge(guarded, candidate);
        }
    }

    private bool Judge(GuardedConfigurationProvider changed, IReadOnlyDictionary<string, string?> candidate)
    {
        // The whole configuration as it would be: every provider in precedence order, the changed one with its new values.
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in _root!.Providers)
        {
            var layer = ReferenceEquals(provider, changed) ? candidate : GuardedConfigurationProvider.Snapshot(provider);
            foreach (var (key, value) in layer)
            {
                values[key] = value;
            }
        }
        var errors = SettingsCheck.CheckAll(_checks, new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        _lastReloadAccepted = errors.Count == 0;
        LastReload = new ReloadOutcome(errors.Count == 0 ? "applied" : "rejected", DateTimeOffset.UtcNow, errors.Count == 0 ? null : string.Join("; ", errors));
        _reloads.Add(1, new KeyValuePair<string, object?>("result", errors.Count == 0 ? "applied" : "rejected"));
        if (errors.Count == 0)
        {
            LogApplied(_logger);
            return true;
        }
        LogRejected(_logger, string.Join("; ", errors));
        return false;
    }

    [LoggerMessage(1, LogLevel.Information, "Configuration reload applied")]
    private static partial void LogApplied(ILogger logger);

    [LoggerMessage(2, LogLevel.Error, "Configuration reload rejected, the last good configuration stays in force: {Problems}")]
    private static partial void LogRejected(ILogger logger, string problems);
}

/// <param name="Result">applied, or rejected (the last good configuration stayed).</param>
/// <param name="At">When the reload was judged.</param>
/// <param name="Reason">Why it was rejected: each refused key and value.</param>
public sealed record ReloadOutcome(string Result, DateTimeOffset At, string? Reason);
