using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// An options type judging a whole configuration (at start, or as a reload would make it) with the source-generated binder
/// and validator that IOptions uses too. A key in its section that names no property is refused, not silently ignored.
/// </summary>
public sealed class OptionsCheck
{
    private static readonly string[] LevelNames = Enum.GetNames<LogLevel>();

    private readonly Func<IConfiguration, object> _bind;
    private readonly Func<object, ValidateOptionsResult?> _validate;
    private readonly PropertyInfo[] _properties;
    private readonly Dictionary<string, string> _keys; // property name: configuration key

    private OptionsCheck(string section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type optionsType,
        Func<IConfiguration, object> bind, Func<object, ValidateOptionsResult?> validate)
    {
        (Section, OptionsType, _bind, _validate) = (section, optionsType, bind, validate);
        _properties = [.. optionsType.GetProperties().Where(p => p.CanWrite)];
        _keys = _properties.ToDictionary(p => p.Name, p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, StringComparer.OrdinalIgnoreCase);
    }

    public string Section { get; }

    /// <summary>Its consumers read it once, at start (IOptions): a reload that changes it takes effect at the next start.</summary>
    public bool ReadAtStart { get; private init; }

    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public Type OptionsType { get; }

    /// <summary><paramref name="bind"/> is the caller's <c>Bind</c> call, made where the type is known, so that the binder's source generator covers it.</summary>
    public static OptionsCheck For<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        string section, Action<IConfiguration, TOptions> bind, IValidateOptions<TOptions>? validator, bool readAtStart = false) where TOptions : class, new() =>
        new(section, typeof(TOptions), configuration =>
        {
            var options = new TOptions();
            bind(configuration, options);
            return options;
        }, options => validator?.Validate(null, (TOptions)options))
        { ReadAtStart = readAtStart };

    /// <summary>
    /// Every problem, one per key, in key order; empty when the configuration is acceptable. <paramref name="mounted"/>: the
    /// mounted directory's keys and values, held to what may change there (<see cref="MountedError"/>).
    /// </summary>
    public static IReadOnlyList<SettingError> CheckAll(IReadOnlyList<OptionsCheck> checks, IConfiguration configuration,
        IEnumerable<KeyValuePair<string, string?>>? mounted = null) =>
        [.. LogLevelErrors(configuration).Concat(checks.SelectMany(c => c.Check(configuration)))
            .Concat((mounted ?? []).Select(e => MountedError(checks, e.Key, e.Value)).OfType<SettingError>())
            .DistinctBy(e => e.Key, StringComparer.OrdinalIgnoreCase).OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// The mounted directory, a ConfigMap that reaches every pod at once, holds what this guard judges: log levels and the keys of
    /// the checked sections. Any other key would reach a framework unjudged (Kestrel's endpoints, AllowedHosts, the console
    /// formatter: one bad value there broke every request of every pod while the reload counted as applied) or do nothing (a
    /// misspelt section, a category written with <c>__</c>); an empty file is a value nobody meant. Each is refused.
    /// </summary>
    private static SettingError? MountedError(IReadOnlyList<OptionsCheck> checks, string key, string? value) => value switch
    {
        null => null,
        _ when string.IsNullOrWhiteSpace(value) => new SettingError(key, value, "an empty file: delete the key to use the default"),
        _ when IsLogLevelKey(key) || checks.Any(c => c.Covers(key)) => null,
        _ => new SettingError(key, value, "not a live setting: the mounted settings hold log levels (Logging__LogLevel__<Category.Name>, "
            + "a category's dots kept) and the keys of " + string.Join(", ", checks.Select(c => c.Section).Where(s => s.Length > 0).Order(StringComparer.Ordinal))),
    };

    private bool Covers(string key) => Section.Length == 0
        ? _keys.Values.Contains(key, StringComparer.OrdinalIgnoreCase)
        : key.StartsWith(Section + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase);

    /// <summary>Log levels by name only: the binder (and the logger factory) would also take "3" or "42", which say nothing to a reader.</summary>
    private static IEnumerable<SettingError> LogLevelErrors(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(e => e.Value is not null && IsLogLevelKey(e.Key) && !LevelNames.Contains(e.Value.Trim(), StringComparer.OrdinalIgnoreCase))
        .Select(e => new SettingError(e.Key, e.Value!, "expected one of " + string.Join(", ", LevelNames)));

    // Logging:LogLevel:*, Logging:{provider}:LogLevel:*, AccessLog:Level and AccessLog:ProbeLevel.
    private static bool IsLogLevelKey(string key) => key.ToUpperInvariant().Split(':') is
        ["LOGGING", "LOGLEVEL", _] or ["LOGGING", _, "LOGLEVEL", _] or ["ACCESSLOG", "LEVEL" or "PROBELEVEL"];

    public IEnumerable<SettingError> Check(IConfiguration configuration)
    {
        var values = Values(configuration);
        // The root is everybody's: only its named keys are read.
        List<SettingError> errors = Section.Length == 0 ? [] : [.. ((IConfigurationSection)values).GetChildren()
            .Where(c => !_keys.Values.Contains(c.Key, StringComparer.OrdinalIgnoreCase))
            .Select(c => new SettingError(c.Path, c.Value ?? "", "unknown setting"))];
        object options;
        try
        {
            options = _bind(values);
        }
        catch (InvalidOperationException ex) // a value the binder cannot convert: its message names the key (and the value, unescaped)
        {
            var (key, value) = values.AsEnumerable().FirstOrDefault(e => e.Value is not null && ex.Message.Contains($"'{e.Key}'", StringComparison.Ordinal));
            var type = _properties.FirstOrDefault(p => key is not null && key.Split(':')[^1].Equals(_keys[p.Name], StringComparison.OrdinalIgnoreCase))?.PropertyType;
            errors.Add(new SettingError(key ?? Section, value ?? "", $"expected {(type is null ? "a value of the setting's type" : "a value of type " + type.Name)}"));
            return errors;
        }
        // A failure reads "Member: message" (ValidateOptionsResultBuilder); the member is a property, or a key path within the section.
        foreach (var failure in _validate(options)?.Failures ?? [])
        {
            var separator = failure.IndexOf(": ", StringComparison.Ordinal);
            var member = separator > 0 ? failure[..separator] : "";
            var property = member.Split(':')[0];
            member = _keys.TryGetValue(property, out var name) ? name + member[property.Length..] : member;
            var key = Section.Length == 0 ? member : member.Length == 0 ? Section : ConfigurationPath.Combine(Section, member);
            errors.Add(new SettingError(key, configuration[key] ?? "", separator > 0 ? failure[(separator + 2)..] : failure));
        }
        return errors;
    }

    public object Bind(IConfiguration configuration) => _bind(Values(configuration));

    /// <summary>Every property's full key and its value bound from the configuration (its default when unset).</summary>
    public IEnumerable<KeyValuePair<string, object?>> Effective(IConfiguration configuration)
    {
        var options = Bind(configuration);
        return _properties.Select(p => KeyValuePair.Create(Section.Length == 0 ? _keys[p.Name] : ConfigurationPath.Combine(Section, _keys[p.Name]), p.GetValue(options)));
    }

    private IConfiguration Values(IConfiguration configuration) => Section.Length == 0 ? configuration : configuration.GetSection(Section);
}

public sealed record SettingError(string Key, string Value, string Problem)
{
    /// <summary>One line, safe to log: control and non-ASCII characters escaped, a long value cut.</summary>
    public override string ToString()
    {
        var value = SettingRedaction.Shown(Key, Value);
        return $"{Key} = \"{string.Concat(value.Take(64).Select(Printable))}{(value.Length > 64 ? "..." : "")}\": {Problem}";
    }

    private static string Printable(char c) => c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}";
}

public sealed class InvalidSettingsException(IReadOnlyList<SettingError> errors)
    : Exception("Invalid configuration, the server did not start: " + string.Join("; ", errors));
