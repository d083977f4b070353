using Microsoft.Extensions.Configuration;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// The settings of one part of the app: a rule for each, and the sections it owns, where a key no rule
/// matches is refused as unknown (a misspelt key would otherwise be ignored without a word).
/// </summary>
public sealed record SettingRules(IReadOnlyList<string> OwnedSections, IReadOnlyList<SettingRule> Rules);

/// <summary>Every rule of the app, registered by each part with AddSettingRules: the one place a value is judged.</summary>
public sealed class SettingsSchema(IEnumerable<SettingRules> parts)
{
    private readonly SettingRule[] _rules = [.. parts.SelectMany(p => p.Rules)];
    private readonly string[] _ownedSections = [.. parts.SelectMany(p => p.OwnedSections)];

    public IReadOnlyList<SettingRule> Rules => _rules;

    /// <summary>The problems of a whole configuration, in key order; empty when every setting is acceptable.</summary>
    public IReadOnlyList<SettingError> Validate(IConfiguration configuration)
    {
        var errors = new List<SettingError>();
        foreach (var (key, value) in configuration.AsEnumerable().OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (value is null)
            {
                continue; // a section, not a setting
            }
            var rule = Array.Find(_rules, r => r.Matches(key));
            if (rule is not null)
            {
                var parent = configuration.GetSection(ConfigurationPath.GetParentPath(key) ?? "");
                if (!rule.Accepts(value, parent))
                {
                    errors.Add(new SettingError(key, value, "expected " + rule.Expected));
                }
            }
            else if (IsInOwnedSection(key))
            {
                errors.Add(new SettingError(key, value, "unknown setting"));
            }
        }
        return errors;
    }

    private bool IsInOwnedSection(string key) => Array.Exists(_ownedSections, section =>
        key.Length > section.Length && key[section.Length] == ':' && key.StartsWith(section, StringComparison.OrdinalIgnoreCase));
}
