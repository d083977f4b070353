using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>Wraps a reloading source (the mounted ConfigMap) so that a reload takes effect only once accepted.</summary>
internal sealed class GuardedConfigurationSource(IConfigurationSource inner) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new GuardedConfigurationProvider(inner.Build(builder));
}

/// <summary>
/// Holds the last accepted values of an inner provider. When the inner provider reloads, its new values are offered
/// to <see cref="Accept"/>; refused, the old values stay whole and nothing downstream sees a change. Until a judge is
/// set (the app's start-up check sets it), every load is taken as it is.
/// </summary>
internal sealed class GuardedConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly IConfigurationProvider _inner;
    private readonly IDisposable _subscription;

    public GuardedConfigurationProvider(IConfigurationProvider inner)
    {
        _inner = inner;
        _subscription = ChangeToken.OnChange(inner.GetReloadToken, OnInnerReloaded);
    }

    /// <summary>Judges the values a reload would bring (keys as configuration paths); true applies them.</summary>
    public Func<IReadOnlyDictionary<string, string?>, bool>? Accept { get; set; }

    public override void Load()
    {
        _inner.Load();
        Data = Snapshot(_inner);
    }

    private void OnInnerReloaded()
    {
        var candidate = Snapshot(_inner);
        if (Accept is { } accept && !accept(candidate.AsReadOnly()))
        {
            return;
        }
        Data = candidate;
        OnReload();
    }

    /// <summary>Every key and value of a provider, flattened to full paths.</summary>
    public static Dictionary<string, string?> Snapshot(IConfigurationProvider provider)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Collect(provider, null, values);
        return values;
    }

    private static void Collect(IConfigurationProvider provider, string? parent, Dictionary<string, string?> values)
    {
        foreach (var key in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent is null ? key : ConfigurationPath.Combine(parent, key);
            if (provider.TryGet(path, out var value) && value is not null)
            {
                values[path] = value;
            }
            Collect(provider, path, values);
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        (_inner as IDisposable)?.Dispose();
    }

    public override string ToString() => $"Guarded {_inner}";
}
