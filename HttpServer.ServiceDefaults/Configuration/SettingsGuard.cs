using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// Configuration is input, judged by the registered <see cref="OptionsCheck"/>s. At start, as the host's container factory: after
/// every part has registered its checks, before anything reads a setting (the logger factory reads the log levels while the host
/// is built); a bad value stops the server. A reload of the mounted ConfigMap with one is refused whole, with one Error line and
/// the reload metrics, and the last good configuration stays until a valid change.
/// </summary>
public sealed partial class SettingsGuard(IConfigurationManager configuration, IHostEnvironment environment) : IServiceProviderFactory<IServiceCollection>
{
    public const string MeterName = "HttpServer.Configuration";

    // Set when the container is built, before the guard is armed.
    private OptionsCheck[] _checks = [];
    private Dictionary<string, string?> _readAtStart = [];
    private ILogger _logger = null!;
    private Counter<long> _reloads = null!;

    /// <summary>The last reload judged since start (null: none yet), as /settings shows it.</summary>
    public ReloadOutcome? LastReload { get; private set; }

    public IServiceCollection CreateBuilder(IServiceCollection services) => services;

    /// <summary>Judges the configuration, builds the container as the host would, and from then on judges every reload of a guarded provider.</summary>
    public IServiceProvider CreateServiceProvider(IServiceCollection services)
    {
        _checks = [.. services.Where(d => d.ServiceType == typeof(OptionsCheck)).Select(d => (OptionsCheck)d.ImplementationInstance!)];
        var errors = OptionsCheck.CheckAll(_checks, configuration,
            ((IConfigurationRoot)configuration).Providers.OfType<GuardedConfigurationProvider>().SelectMany(p => GuardedConfigurationProvider.Snapshot(p)));
        if (errors.Count > 0)
        {
            throw new InvalidSettingsException(errors);
        }
        _readAtStart = ReadAtStart(configuration);
        var development = environment.IsDevelopment();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = development, ValidateScopes = development });
        _logger = provider.GetRequiredService<ILogger<SettingsGuard>>();
        var meter = provider.GetRequiredService<IMeterFactory>().Create(MeterName);
        _reloads = meter.CreateCounter<long>("httpserver.configuration.reloads",
            description: "Reloads of the mounted configuration, by result: applied, or rejected (the last good configuration stays).");
        meter.CreateObservableGauge("httpserver.configuration.last_reload_success", () => LastReload?.Reason is null ? 1 : 0,
            description: "1 when the last reload of the mounted configuration was applied, 0 when it was rejected.");
        var root = (IConfigurationRoot)configuration;
        foreach (var guarded in root.Providers.OfType<GuardedConfigurationProvider>())
        {
            guarded.Accept = candidate => Judge(root, guarded, candidate);
            guarded.Applied = () => LogApplied(_logger);
        }
        return provider;
    }

    private bool Judge(IConfigurationRoot root, GuardedConfigurationProvider changed, IDictionary<string, string?> candidate)
    {
        // The whole configuration as it would be: every provider in precedence order, the changed one with its new values.
        var next = new ConfigurationBuilder();
        foreach (var provider in root.Providers)
        {
            next.AddInMemoryCollection(ReferenceEquals(provider, changed) ? candidate : GuardedConfigurationProvider.Snapshot(provider));
        }
        var candidateConfiguration = next.Build();
        var errors = OptionsCheck.CheckAll(_checks, candidateConfiguration, candidate);
        var problems = errors.Count == 0 ? null : string.Join("; ", errors);
        // Settings read once at start: the running server keeps what it started with until the next start.
        var later = problems is null ? ReadAtStart(candidateConfiguration) : null;
        IReadOnlyList<string> pending = later is null ? LastReload?.RestartNeeded ?? [] : [.. later.Keys.Union(_readAtStart.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)
            .Where(k => later.GetValueOrDefault(k) != _readAtStart.GetValueOrDefault(k))];
        LastReload = new ReloadOutcome(problems is null ? "applied" : "rejected", DateTimeOffset.UtcNow, problems, pending);
        _reloads.Add(1, new KeyValuePair<string, object?>("result", LastReload.Result));
        if (problems is not null)
        {
            LogRejected(_logger, problems);
        }
        else if (pending.Count > 0)
        {
            LogRestartNeeded(_logger, string.Join(", ", pending));
        }
        return problems is null;
    }

    private Dictionary<string, string?> ReadAtStart(IConfiguration source) => _checks.Where(c => c.ReadAtStart)
        .SelectMany(c => source.GetSection(c.Section).AsEnumerable()).Where(e => e.Value is not null)
        .DistinctBy(e => e.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);

    [LoggerMessage(1, LogLevel.Information, "Configuration reload applied")]
    private static partial void LogApplied(ILogger logger);

    [LoggerMessage(2, LogLevel.Error, "Configuration reload rejected, the last good configuration stays in force: {Problems}")]
    private static partial void LogRejected(ILogger logger, string problems);

    [LoggerMessage(3, LogLevel.Warning, "Configuration reload: these settings are read at start and keep their start values until the next start: {Keys}")]
    private static partial void LogRestartNeeded(ILogger logger, string keys);
}

/// <param name="Result">applied, or rejected (the last good configuration stayed).</param>
/// <param name="At">When the reload was judged.</param>
/// <param name="Reason">Why it was rejected: each refused key and value.</param>
/// <param name="RestartNeeded">Keys whose configured value differs from the one the server started with and still uses (read at start only).</param>
public sealed record ReloadOutcome(string Result, DateTimeOffset At, string? Reason, IReadOnlyList<string> RestartNeeded);

public static class SettingsExtensions
{
    /// <summary>
    /// The settings guard. A configuration refused when the host builds its container throws <see cref="InvalidSettingsException"/>,
    /// which ends a real process with one line on stderr and exit code 1 instead of a stack trace and SIGABRT (134).
    /// </summary>
    public static IHostApplicationBuilder AddSettingsGuard(this IHostApplicationBuilder builder)
    {
        AppDomain.CurrentDomain.UnhandledException -= ExitOnInvalidSettings;
        AppDomain.CurrentDomain.UnhandledException += ExitOnInvalidSettings;
        var guard = new SettingsGuard(builder.Configuration, builder.Environment);
        builder.ConfigureContainer(guard);
        builder.Services.AddSingleton(guard);
        return builder;
    }

    /// <summary>
    /// Options bound from <paramref name="section"/> ("" for the root) by <paramref name="bind"/> and judged by
    /// <paramref name="validator"/> (an <c>[OptionsValidator]</c>) with the whole configuration: at start, before anything reads
    /// them, and on every reload of the mounted directory before it applies (see <see cref="OptionsCheck"/>). <paramref name="readAtStart"/>:
    /// their consumers read them once, so a reload that changes them is reported as needing a restart.
    /// </summary>
    public static OptionsBuilder<TOptions> AddCheckedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        this IHostApplicationBuilder builder, string section, Action<IConfiguration, TOptions> bind, IValidateOptions<TOptions>? validator = null,
        bool readAtStart = false)
        where TOptions : class, new()
    {
        builder.Services.AddSingleton(OptionsCheck.For(section, bind, validator, readAtStart));
        // Reloads reach IOptionsMonitor (Configure alone registers no change token source).
        builder.Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(builder.Configuration));
        return builder.Services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) => bind(section.Length == 0 ? configuration : configuration.GetSection(section), options));
    }

    private static void ExitOnInvalidSettings(object sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is InvalidSettingsException invalid)
        {
            Console.Error.WriteLine(invalid.Message);
            Console.Error.Flush();
            Environment.Exit(1);
        }
    }
}
