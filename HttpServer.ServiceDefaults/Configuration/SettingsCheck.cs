using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// Judges a whole configuration (the one the server starts with, or the one a reload would bring) for one part of
/// the app. Registered with AddCheckedOptions; run by SettingsCheckingProviderFactory at start and by SettingsGuard on reload.
/// </summary>
public abstract class SettingsCheck
{
    public abstract IEnumerable<SettingError> Check(IConfiguration configuration);

    /// <summary>Every check's problems, one per key, in key order; empty when the configuration is acceptable.</summary>
    public static IReadOnlyList<SettingError> CheckAll(IEnumerable<SettingsCheck> checks, IConfiguration configuration) =>
        [.. checks.SelectMany(c => c.Check(configuration)).DistinctBy(e => e.Key, StringComparer.OrdinalIgnoreCase)
            .OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase)];
}

/// <summary>
/// An options type, bound from its section by the caller's (source-generated) binder call and judged by its
/// source-generated validator, the one IOptions runs too. A key in the section that names no property is refused:
/// a misspelt key would otherwise be ignored without a word.
/// </summary>
internal sealed class OptionsCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
    string section, Action<IConfiguration, TOptions> bind, IValidateOptions<TOptions>? validator) : SettingsCheck, IOptionsCheck
    where TOptions : class, new()
{
    public string Section => section;

    public Type OptionsType => typeof(TOptions);

    private static readonly PropertyInfo[] Properties = [.. typeof(TOptions).GetProperties().Where(p => p.CanWrite)];

    /// <summary>Property name to configuration key: the name, or its [ConfigurationKeyName].</summary>
    private static readonly Dictionary<string, string> Keys = Properties
        .ToDictionary(p => p.Name, p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, StringComparer.OrdinalIgnoreCase);

    public override IEnumerable<SettingError> Check(IConfiguration configuration)
    {
        var values = Values(configuration);
        var errors = new List<SettingError>();
        if (section.Length > 0) // the root is everybody's: only its named keys are read
        {
            errors.AddRange(((IConfigurationSection)values).GetChildren().Where(c => !Keys.Values.Contains(c.Key, StringComparer.OrdinalIgnoreCase))
                .Select(c => new SettingError(c.Path, c.Value ?? "", "unknown setting")));
        }
        var options = new TOptions();
        try
        {
            bind(values, options);
        }
        catch (InvalidOperationException ex) // a value the binder cannot convert: its message names the key (and the value, unescaped)
        {
            var (key, value) = values.AsEnumerable().FirstOrDefault(e => e.Value is not null && ex.Message.Contains($"'{e.Key}'", StringComparison.Ordinal));
            var type = Properties.FirstOrDefault(p => key is not null && key.Split(':')[^1].Equals(Keys[p.Name], StringComparison.OrdinalIgnoreCase))?.PropertyType;
            errors.Add(new SettingError(key ?? section, value ?? "", $"expected {(type is null ? "a value of the setting's type" : "a value of type " + type.Name)}"));
            return errors;
        }
        // A failure reads "Member: message" (ValidateOptionsResultBuilder); the member is a property, or a key path within the section.
        foreach (var failure in validator?.Validate(null, options).Failures ?? [])
        {
            var separator = failure.IndexOf(": ", StringComparison.Ordinal);
            var member = separator > 0 ? failure[..separator] : "";
            var property = member.Split(':')[0];
            member = Keys.TryGetValue(property, out var name) ? name + member[property.Length..] : member;
            var key = section.Length == 0 ? member : member.Length == 0 ? section : ConfigurationPath.Combine(section, member);
            errors.Add(new SettingError(key, configuration[key] ?? "", separator > 0 ? failure[(separator + 2)..] : failure));
        }
        return errors;
    }

    public object Bind(IConfiguration configuration)
    {
        var options = new TOptions();
        bind(Values(configuration), options);
        return options;
    }

    public IEnumerable<KeyValuePair<string, object?>> Effective(IConfiguration configuration)
    {
        var options = Bind(configuration);
        return Properties.Select(p => new KeyValuePair<string, object?>(
            section.Length == 0 ? Keys[p.Name] : ConfigurationPath.Combine(section, Keys[p.Name]), p.GetValue(options)));
    }

    private IConfiguration Values(IConfiguration configuration) => section.Length == 0 ? configuration : configuration.GetSection(section);
}

/// <summary>What the configuration reference's test reads of an <see cref="OptionsCheck{TOptions}"/>.</summary>
internal interface IOptionsCheck
{
    string Section { get; }

    Type OptionsType { get; }

    object Bind(IConfiguration configuration);

    /// <summary>Every property's full key and its value bound from <paramref name="configuration"/> (its default when unset).</summary>
    IEnumerable<KeyValuePair<string, object?>> Effective(IConfiguration configuration);
}

/// <summary>Log levels by name only: the binder (and the logger factory) would also take "3" or "42", which say nothing to a reader.</summary>
internal sealed class LogLevelCheck : SettingsCheck
{
    private static readonly string[] Names = Enum.GetNames<LogLevel>();

    public override IEnumerable<SettingError> Check(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(e => e.Value is not null && IsLogLevelKey(e.Key) && !Names.Contains(e.Value.Trim(), StringComparer.OrdinalIgnoreCase))
        .Select(e => new SettingError(e.Key, e.Value!, "expected one of " + string.Join(", ", Names)));

    // Logging:LogLevel:*, Logging:{provider}:LogLevel:*, AccessLog:Level and AccessLog:ProbeLevel.
    private static bool IsLogLevelKey(string key) => key.ToUpperInvariant().Split(':') switch
    {
        ["LOGGING", "LOGLEVEL", _] or ["LOGGING", _, "LOGLEVEL", _] or ["ACCESSLOG", "LEVEL" or "PROBELEVEL"] => true,
        _ => false,
    };
}
