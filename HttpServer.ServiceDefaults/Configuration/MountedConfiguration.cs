using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.KeyPerFile;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace HttpServer.ServiceDefaults.Configuration;

public static class MountedConfiguration
{
    /// <summary>Environment variable naming the directory where a ConfigMap is mounted, one file per key.</summary>
    public const string DirectoryVariable = "APP_CONFIG_DIR";

    /// <summary>
    /// Adds the files of <c>$APP_CONFIG_DIR</c> as configuration, one key per file (<c>Logging__LogLevel__Default</c>),
    /// reloaded when they change. The kubelet updates a ConfigMap volume by swapping its <c>..data</c> symlink,
    /// which inotify watchers miss (dot-files are filtered and the files themselves are never written), so the
    /// directory is polled instead. Mounted files take precedence over environment variables. A reload passes
    /// through the settings guard (SettingsGuard): refused, the last good values stay.
    /// </summary>
    public static IConfigurationBuilder AddMountedConfiguration(this IConfigurationBuilder builder)
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return builder;
        }
        var provider = new PhysicalFileProvider(Path.GetFullPath(directory), ExclusionFilters.None)
        {
            UsePollingFileWatcher = true,
            UseActivePolling = true,
        };
        var source = new KeyPerFileConfigurationSource
        {
            FileProvider = provider,
            Optional = true,
            ReloadOnChange = true,
            ReloadDelay = 100,
        };
        return builder.Add(new GuardedConfigurationSource(source));
    }
}
