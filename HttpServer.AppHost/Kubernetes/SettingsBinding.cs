using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Binds the AppHost's <c>Kubernetes</c> configuration strictly: a key that names no setting (a typo such as
/// <c>Kubernetes:Replica</c>) or a value of the wrong type is refused by its key, never ignored.
/// </summary>
public static class SettingsBinding
{
    public const string Section = "Kubernetes";

    /// <summary>The subsections bound elsewhere: deploy's options and each declared canary's settings.</summary>
    public static readonly string[] BoundElsewhere = ["Deploy", "Canaries"];

    private static readonly Action<BinderOptions> Strict = o => o.ErrorOnUnknownConfiguration = true;

    /// <summary>The section <c>Kubernetes</c>, without <see cref="BoundElsewhere"/>, onto the defaults.</summary>
    public static KubernetesSettings Kubernetes(IConfiguration configuration)
    {
        var own = configuration.GetSection(Section).AsEnumerable()
            .Where(e => !BoundElsewhere.Any(s => $"{e.Key}:".StartsWith($"{Section}:{s}:", StringComparison.OrdinalIgnoreCase)));
        var section = new ConfigurationBuilder().AddInMemoryCollection(own).Build().GetSection(Section);
        if (section.GetSection(nameof(KubernetesSettings.Canary)) is { } canary && canary.Exists())
        {
            // The property is each service's own (PublishAsKubernetesService); from configuration, a canary is named per service.
            throw new ManifestGenerationException($"{canary.Path} is not a setting: a canary is a service's, set under {Section}:Canaries:<service> (e.g. {Section}:Canaries:backend:Version).");
        }
        var settings = new KubernetesSettings();
        Refusing(section, typeof(KubernetesSettings), () => section.Bind(settings, Strict));
        return settings;
    }

    /// <summary>The section <c>Kubernetes:Deploy</c> onto the defaults.</summary>
    public static DeployOptions Deploy(IConfiguration configuration)
    {
        var section = configuration.GetSection($"{Section}:Deploy");
        var options = new DeployOptions();
        Refusing(section, typeof(DeployOptions), () => section.Bind(options, Strict));
        return options;
    }

    /// <summary>The section <c>Kubernetes:Canaries:&lt;resource&gt;</c> onto a declared canary's settings.</summary>
    public static void Canary(IConfiguration configuration, string resource, CanarySettings canary)
    {
        var section = configuration.GetSection($"{Section}:Canaries:{resource}");
        Refusing(section, typeof(CanarySettings), () => section.Bind(canary, Strict));
    }

    /// <summary>Refuses <c>Kubernetes:Canaries:&lt;name&gt;</c> for a resource that declares no canary: it would be ignored.</summary>
    public static void RefuseUndeclaredCanaries(IConfiguration configuration, IEnumerable<ServiceDescription> services)
    {
        var declared = services.Where(s => s.Settings.Canary.Declared).Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var canary in configuration.GetSection($"{Section}:Canaries").GetChildren().Where(c => !declared.Contains(c.Key)))
        {
            throw new ManifestGenerationException(
                $"{canary.Path}: resource '{canary.Key}' declares no canary (WithKubernetesCanary() in the AppHost), so this setting would be ignored.");
        }
    }

    /// <summary>Runs a strict bind of <paramref name="section"/>, refusing an unknown key or a value of the wrong type by its key.</summary>
    private static void Refusing(IConfigurationSection section, Type type, Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names an unknown key by its last part and the class only: the full key is found by walking the settings' properties.
            throw new ManifestGenerationException(Unknown(section, type).FirstOrDefault() is { } key
                ? $"{key.Path}{(key.Value is null ? "" : $" ({key.Value})")} is not a setting (a typo?)."
                : ex.Message);
        }
    }

    private static IEnumerable<IConfigurationSection> Unknown(IConfigurationSection section, Type type) =>
        section.GetChildren().SelectMany(child => type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) switch
        {
            null => [child],
            { PropertyType: var nested } when nested.IsClass && nested != typeof(string) => Unknown(child, nested),
            _ => [],
        });
}
