using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// An options type judging a whole configuration (at start, or as a reload would make it) with the source-generated binder
/// and validator that IOptions uses too. A key in its section that names no property is refused, not silently ignored.
/// </summary>
public abstract class OptionsCheck
{
    private static readonly string[] LevelNames = Enum.GetNames<LogLevel>();

    public abstract string Section { get; }

    public abstract Type OptionsType { get; }

    public abstract object Bind(IConfiguration configuration);

    public abstract IEnumerable<SettingError> Check(IConfiguration configuration);

    /// <summary>Every property's full key and its value bound from the configuration (its default when unset).</summary>
    public abstract IEnumerable<KeyValuePair<string, object?>> Effective(IConfiguration configuration);

    /// <summary>Every problem, one per key, in key order; empty when the configuration is acceptable.</summary>
    public static IReadOnlyList<SettingError> CheckAll(IEnumerable<OptionsCheck> checks, IConfiguration configuration) =>
        [.. LogLevelErrors(configuration).Concat(checks.SelectMany(c => c.Check(configuration)))
            .DistinctBy(e => e.Key, StringComparer.OrdinalIgnoreCase).OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase)];

    /// <summary>Log levels by name only: the binder (and the logger factory) would also take "3" or "42", which say nothing to a reader.</summary>
    private static IEnumerable<SettingError> LogLevelErrors(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(e => e.Value is not null && IsLogLevelKey(e.Key) && !LevelNames.Contains(e.Value.Trim(), StringComparer.OrdinalIgnoreCase))
        .Select(e => new SettingError(e.Key, e.Value!, "expected one of " + string.Join(", ", LevelNames)));

    // Logging:LogLevel:*, Logging:{provider}:LogLevel:*, AccessLog:Level and AccessLog:ProbeLevel.
    private static bool IsLogLevelKey(string key) => key.ToUpperInvariant().Split(':') is
        ["LOGGING", "LOGLEVEL", _] or ["LOGGING", _, "LOGLEVEL", _] or ["ACCESSLOG", "LEVEL" or "PROBELEVEL"];
}

internal sealed class OptionsCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
    string section, Action<IConfiguration, TOptions> bind, IValidateOptions<TOptions>? validator) : OptionsCheck
    where TOptions : class, new()
{
    private static readonly PropertyInfo[] Properties = [.. typeof(TOptions).GetProperties().Where(p => p.CanWrite)];

    private static readonly Dictionary<string, string> Keys = Properties
        .ToDictionary(p => p.Name, p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, StringComparer.OrdinalIgnoreCase);

    public override string Section => section;

    public override Type OptionsType => typeof(TOptions);

    public override IEnumerable<SettingError> Check(IConfiguration configuration)
    {
        var values = Values(configuration);
        // The root is everybody's: only its named keys are read.
        List<SettingError> errors = section.Length == 0 ? [] : [.. ((IConfigurationSection)values).GetChildren()
            .Where(c => !Keys.Values.Contains(c.Key, StringComparer.OrdinalIgnoreCase))
            .Select(c => new SettingError(c.Path, c.Value ?? "", "unknown setting"))];
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

    public override object Bind(IConfiguration configuration)
    {
        var options = new TOptions();
        bind(Values(configuration), options);
        return options;
    }

    public override IEnumerable<KeyValuePair<string, object?>> Effective(IConfiguration configuration)
    {
        var options = Bind(configuration);
        return Properties.Select(p => KeyValuePair.Create(section.Length == 0 ? Keys[p.Name] : ConfigurationPath.Combine(section, Keys[p.Name]), p.GetValue(options)));
    }

    private IConfiguration Values(IConfiguration configuration) => section.Length == 0 ? configuration : configuration.GetSection(section);
}

public sealed record SettingError(string Key, string Value, string Problem)
{
    /// <summary>One line, safe to log: control and non-ASCII characters escaped, a long value cut.</summary>
    public override string ToString() => $"{Key} = \"{string.Concat(Value.Take(64).Select(Printable))}{(Value.Length > 64 ? "..." : "")}\": {Problem}";

    private static string Printable(char c) => c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}";
}

public sealed class InvalidSettingsException(IReadOnlyList<SettingError> errors)
    : Exception("Invalid configuration, the server did not start: " + string.Join("; ", errors))
{
    public IReadOnlyList<SettingError> Errors { get; } = errors;
}
