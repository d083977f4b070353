using Microsoft.Extensions.Configuration.KeyPerFile;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;

namespace HttpServer.ServiceDefaults.Configuration;

public static class MountedConfiguration
{
    /// <summary>Environment variable naming the directory where a ConfigMap is mounted, one file per key.</summary>
    public const string DirectoryVariable = "APP_CONFIG_DIR";

    /// <summary>
    /// The files of <c>$APP_CONFIG_DIR</c> as configuration, one key per file (<c>Logging__LogLevel__Default</c>), over the
    /// environment variables. The kubelet updates a ConfigMap volume by swapping its <c>..data</c> symlink, which inotify
    /// watchers miss, so the directory is polled. A reload applies only once <see cref="SettingsGuard"/> accepts it.
    /// </summary>
    public static IConfigurationBuilder AddMountedConfiguration(this IConfigurationBuilder builder)
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return builder;
        }
        var files = new PhysicalFileProvider(Path.GetFullPath(directory), ExclusionFilters.None) { UsePollingFileWatcher = true, UseActivePolling = true };
        return builder.Add(new GuardedConfigurationSource(
            new KeyPerFileConfigurationSource { FileProvider = files, Optional = true, ReloadOnChange = true, ReloadDelay = 100 }));
    }
}

internal sealed class GuardedConfigurationSource(IConfigurationSource inner) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new GuardedConfigurationProvider(inner.Build(builder));
}

/// <summary>
/// Holds the last accepted values of the inner provider: a reload's values are offered to <see cref="Accept"/> first and,
/// refused, nothing downstream sees a change. Until the guard sets a judge, every load is taken as it is.
/// </summary>
internal sealed class GuardedConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly IConfigurationProvider _inner;
    private readonly IDisposable _subscription;

    public GuardedConfigurationProvider(IConfigurationProvider inner)
    {
        _inner = inner;
        _subscription = ChangeToken.OnChange(inner.GetReloadToken, () =>
        {
            var candidate = Snapshot(_inner);
            if (Accept?.Invoke(candidate) != false)
            {
                Data = candidate;
                OnReload();
            }
        });
    }

    /// <summary>Judges the values a reload would bring (keys as configuration paths); true applies them.</summary>
    public Func<IDictionary<string, string?>, bool>? Accept { get; set; }

    public override void Load()
    {
        _inner.Load();
        Data = Snapshot(_inner);
    }

    /// <summary>Every key of a provider that has a value, as full paths.</summary>
    public static Dictionary<string, string?> Snapshot(IConfigurationProvider provider, string? parent = null, Dictionary<string, string?>? values = null)
    {
        values ??= new(StringComparer.OrdinalIgnoreCase);
        foreach (var key in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent is null ? key : ConfigurationPath.Combine(parent, key);
            if (provider.TryGet(path, out var value) && value is not null)
            {
                values[path] = value;
            }
            Snapshot(provider, path, values);
        }
        return values;
    }

    public void Dispose()
    {
        _subscription.Dispose();
        (_inner as IDisposable)?.Dispose();
    }
}
