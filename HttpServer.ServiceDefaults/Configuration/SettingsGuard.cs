using System.Diagnostics.Metrics;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// Configuration is input, judged by the registered <see cref="OptionsCheck"/>s. At start a bad value stops the server
/// (SettingsCheckingProviderFactory); a reload of the mounted ConfigMap with a bad value is refused whole, the last good
/// configuration stays, with one log line naming the keys and the reload metrics, until a valid change.
/// </summary>
public sealed partial class SettingsGuard
{
    public const string MeterName = "HttpServer.Configuration";

    private readonly OptionsCheck[] _checks;
    private readonly ILogger<SettingsGuard> _logger;
    private readonly Counter<long> _reloads;

    public SettingsGuard(IEnumerable<OptionsCheck> checks, ILogger<SettingsGuard> logger, IMeterFactory meterFactory)
    {
        (_checks, _logger) = ([.. checks], logger);
        var meter = meterFactory.Create(MeterName);
        _reloads = meter.CreateCounter<long>("httpserver.configuration.reloads",
            description: "Reloads of the mounted configuration, by result: applied, or rejected (the last good configuration stays).");
        meter.CreateObservableGauge("httpserver.configuration.last_reload_success", () => LastReload?.Reason is null ? 1 : 0,
            description: "1 when the last reload of the mounted configuration was applied, 0 when it was rejected.");
    }

    /// <summary>The last reload judged since start (null: none yet), as /settings shows it.</summary>
    public ReloadOutcome? LastReload { get; private set; }

    /// <summary>From now on, every reload of a guarded provider (the mounted directory) is judged before it applies.</summary>
    public void Guard(IConfigurationRoot root)
    {
        foreach (var guarded in root.Providers.OfType<GuardedConfigurationProvider>())
        {
            guarded.Accept = candidate => Judge(root, guarded, candidate);
        }
    }

    private bool Judge(IConfigurationRoot root, GuardedConfigurationProvider changed, IDictionary<string, string?> candidate)
    {
        // The whole configuration as it would be: every provider in precedence order, the changed one with its new values.
        var next = new ConfigurationBuilder();
        foreach (var provider in root.Providers)
        {
            next.AddInMemoryCollection(ReferenceEquals(provider, changed) ? candidate : GuardedConfigurationProvider.Snapshot(provider));
        }
        var errors = OptionsCheck.CheckAll(_checks, next.Build());
        var problems = errors.Count == 0 ? null : string.Join("; ", errors);
        LastReload = new ReloadOutcome(problems is null ? "applied" : "rejected", DateTimeOffset.UtcNow, problems);
        _reloads.Add(1, new KeyValuePair<string, object?>("result", LastReload.Result));
        if (problems is null)
        {
            LogApplied(_logger);
            return true;
        }
        LogRejected(_logger, problems);
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
