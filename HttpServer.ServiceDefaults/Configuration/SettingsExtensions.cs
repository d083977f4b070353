using HttpServer.ServiceDefaults.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class SettingsExtensions
{
    /// <summary>
    /// The settings guard: the configuration is judged by every registered rule when the host is built. A refused
    /// configuration throws <see cref="InvalidSettingsException"/>; in a real process that ends as one line on stderr
    /// and exit code 1. Later reloads of the mounted directory are judged by <see cref="SettingsGuard"/>.
    /// </summary>
    public static IHostApplicationBuilder AddSettingsGuard(this IHostApplicationBuilder builder)
    {
        AppDomain.CurrentDomain.UnhandledException -= ExitOnInvalidSettings;
        AppDomain.CurrentDomain.UnhandledException += ExitOnInvalidSettings;
        builder.ConfigureContainer(new SettingsCheckingProviderFactory(builder.Configuration, builder.Environment));
        builder.Services.TryAddSingleton<SettingsSchema>();
        builder.Services.TryAddSingleton<SettingsGuard>();
        return builder;
    }

    /// <summary>Registers the rules of a part of the app with the settings guard.</summary>
    public static IHostApplicationBuilder AddSettingRules(this IHostApplicationBuilder builder, SettingRules rules)
    {
        builder.Services.AddSingleton(rules);
        return builder;
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
