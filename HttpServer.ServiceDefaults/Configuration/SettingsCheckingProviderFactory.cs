using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// Judges the configuration when the host builds its container: after every part has registered its checks and before
/// anything reads a setting (the logger factory reads the log levels while the host is built, and would fail on a bad
/// one with a stack trace; ValidateOnStart would come later still). Then builds the container as the host would.
/// </summary>
internal sealed class SettingsCheckingProviderFactory(IConfiguration configuration, IHostEnvironment environment)
    : IServiceProviderFactory<IServiceCollection>
{
    public IServiceCollection CreateBuilder(IServiceCollection services) => services;

    public IServiceProvider CreateServiceProvider(IServiceCollection services)
    {
        var checks = services.Where(d => d.ServiceType == typeof(SettingsCheck)).Select(d => (SettingsCheck)d.ImplementationInstance!);
        var errors = SettingsCheck.CheckAll(checks, configuration);
        if (errors.Count > 0)
        {
            throw new InvalidSettingsException(errors);
        }
        var development = environment.IsDevelopment();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = development, ValidateScopes = development });
    }
}
