using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HttpServer.ServiceDefaults.Configuration;

public static class SettingsExtensions
{
    /// <summary>
    /// The settings guard: when the host builds its container, every registered check judges the configuration. A refused
    /// one throws <see cref="InvalidSettingsException"/>, which ends a real process with one line on stderr and exit code 1.
    /// </summary>
    public static IHostApplicationBuilder AddSettingsGuard(this IHostApplicationBuilder builder)
    {
        AppDomain.CurrentDomain.UnhandledException -= ExitOnInvalidSettings;
        AppDomain.CurrentDomain.UnhandledException += ExitOnInvalidSettings;
        builder.ConfigureContainer(new SettingsCheckingProviderFactory(builder.Configuration, builder.Environment));
        builder.Services.TryAddSingleton<SettingsGuard>();
        return builder;
    }

    /// <summary>
    /// Options bound from <paramref name="section"/> ("" for the root) and validated by <paramref name="validator"/> (an
    /// <c>[OptionsValidator]</c>) at start and on every reload of the mounted directory, before it applies.
    /// <paramref name="bind"/> is the caller's <c>Bind</c> call: made where the type is known, the binder's source generator covers it.
    /// </summary>
    public static OptionsBuilder<TOptions> AddCheckedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        this IHostApplicationBuilder builder, string section, Action<IConfiguration, TOptions> bind, IValidateOptions<TOptions>? validator = null)
        where TOptions : class, new()
    {
        builder.Services.AddSingleton<OptionsCheck>(new OptionsCheck<TOptions>(section, bind, validator));
        if (validator is not null)
        {
            builder.Services.AddSingleton(validator);
        }
        builder.Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(builder.Configuration));
        return builder.Services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) => bind(section.Length == 0 ? configuration : configuration.GetSection(section), options))
            .ValidateOnStart();
    }

    /// <summary>Arms the guard for reloads of the mounted directory (the configuration it starts with was judged at build).</summary>
    public static WebApplication UseSettingsGuard(this WebApplication app)
    {
        app.Services.GetRequiredService<SettingsGuard>().Guard((IConfigurationRoot)app.Configuration);
        return app;
    }

    // Thrown from Main while the host is built: one clear line and exit 1, instead of a stack trace and SIGABRT (134).
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

/// <summary>
/// Judges the configuration when the host builds its container: after every part has registered its checks, before anything
/// reads a setting (the logger factory reads the log levels while the host is built and would fail on a bad one with a stack
/// trace; ValidateOnStart comes later still). Then builds the container as the host would.
/// </summary>
internal sealed class SettingsCheckingProviderFactory(IConfiguration configuration, IHostEnvironment environment) : IServiceProviderFactory<IServiceCollection>
{
    public IServiceCollection CreateBuilder(IServiceCollection services) => services;

    public IServiceProvider CreateServiceProvider(IServiceCollection services)
    {
        var checks = services.Where(d => d.ServiceType == typeof(OptionsCheck)).Select(d => (OptionsCheck)d.ImplementationInstance!);
        var errors = OptionsCheck.CheckAll(checks, configuration);
        if (errors.Count > 0)
        {
            throw new InvalidSettingsException(errors);
        }
        var development = environment.IsDevelopment();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = development, ValidateScopes = development });
    }
}
