using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// What one setting accepts. <see cref="Key"/> is a configuration path in which "*" stands for any one segment
/// (<c>Logging:LogLevel:*</c>); <see cref="Accepts"/> gets the value and the setting's parent section, for the few
/// rules that depend on a sibling. The parsers are those of the configuration binder, so a value a rule accepts binds.
/// </summary>
public sealed record SettingRule(string Key, string Expected, Func<string, IConfigurationSection, bool> Accepts)
{
    public static readonly string[] LogLevelNames = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    public static SettingRule WholeNumber(string key, int min, int max) =>
        new(key, $"a whole number from {min} to {max}", (value, _) =>
            int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max);

    public static SettingRule Number(string key, double min, double max) =>
        new(key, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}", (value, _) =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n >= min && n <= max);

    public static SettingRule Boolean(string key) => new(key, "true or false", (value, _) => bool.TryParse(value, out var _));

    /// <summary>A level by name: the binder would also take "3" or "42", which say nothing to a reader.</summary>
    public static SettingRule LogLevel(string key) =>
        new(key, "one of " + string.Join(", ", LogLevelNames), (value, _) => LogLevelNames.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase));

    /// <summary>Empty (unset) or 1 to <paramref name="maxLength"/> visible ASCII characters: what an HTTP header value can carry.</summary>
    public static SettingRule HeaderValue(string key, int maxLength) =>
        new(key, $"empty, or 1 to {maxLength} visible ASCII characters (0x21-0x7E)", (value, _) =>
            value.Trim() is var v && v.Length <= maxLength && v.All(c => c is >= '!' and <= '~'));

    /// <summary>An absolute path of visible ASCII, such as <c>/version</c>.</summary>
    public static SettingRule UrlPath(string key) =>
        new(key, "a path starting with '/', of visible ASCII characters", (value, _) =>
            value.Length is > 0 and <= 2048 && value[0] == '/' && value.All(c => c is >= '!' and <= '~'));

    public static SettingRule HttpUrl(string key) =>
        new(key, "empty, or an absolute http or https URL such as http://backend", (value, _) =>
            string.IsNullOrWhiteSpace(value)
            || (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)));

    public static SettingRule IPNetwork(string key) =>
        new(key, "a network in CIDR notation, such as 10.0.0.0/8", (value, _) => System.Net.IPNetwork.TryParse(value.Trim(), out var _));

    public static SettingRule IPAddress(string key) =>
        new(key, "an IP address, such as 10.0.0.1", (value, _) => System.Net.IPAddress.TryParse(value.Trim(), out var _));

    /// <summary>True when <paramref name="path"/> is this rule's key, "*" matching any one segment, case-insensitively.</summary>
    public bool Matches(string path)
    {
        var pattern = Key.AsSpan();
        var candidate = path.AsSpan();
        while (true)
        {
            var p = pattern.IndexOf(':');
            var c = candidate.IndexOf(':');
            var patternSegment = p < 0 ? pattern : pattern[..p];
            var candidateSegment = c < 0 ? candidate : candidate[..c];
            if (!patternSegment.SequenceEqual("*") && !patternSegment.Equals(candidateSegment, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            if (p < 0 || c < 0)
            {
                return p < 0 && c < 0;
            }
            pattern = pattern[(p + 1)..];
            candidate = candidate[(c + 1)..];
        }
    }
}
