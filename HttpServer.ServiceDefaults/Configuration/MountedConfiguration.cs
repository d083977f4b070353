using Microsoft.Extensions.Configuration.KeyPerFile;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;

namespace HttpServer.ServiceDefaults.Configuration;

public static class MountedConfiguration
{
    public const string DirectoryVariable = "APP_CONFIG_DIR";

    /// <summary>
    /// The files of <c>$APP_CONFIG_DIR</c> (a ConfigMap volume) as configuration, one key per file, over the environment. Polled:
    /// the kubelet swaps the volume's <c>..data</c> symlink, which inotify misses. A reload applies once the guard accepts it.
    /// </summary>
    public static IConfigurationBuilder AddMountedConfiguration(this IConfigurationBuilder builder)
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrWhiteSpace(directory))
        {
            return builder;
        }
        if (!Directory.Exists(directory))
        {
            // A wrong path would run the server on defaults without a word.
            throw new InvalidSettingsException([new SettingError(DirectoryVariable, directory, "no such directory")]);
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

/// <summary>The inner provider's last accepted values: refused by <see cref="Accept"/>, a reload changes nothing downstream.</summary>
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
                OnReload(); // runs the change callbacks: options read after this see the new values
                Applied?.Invoke();
            }
        });
    }

    public Func<IDictionary<string, string?>, bool>? Accept { get; set; }

    /// <summary>Called once an accepted reload is in force, so that "applied" is never said before it is true.</summary>
    public Action? Applied { get; set; }

    public override void Load()
    {
        _inner.Load();
        Data = Snapshot(_inner);
    }

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
