using System.Text.RegularExpressions;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>
/// How a setting's value may be shown (/settings, a refusal's line): not at all under a secret-looking key, and a URL without
/// the credentials it carries (<c>http://user:password@host</c>).
/// </summary>
public static partial class SettingRedaction
{
    public const string Redacted = "(redacted)";

    public static string Shown(string key, string value) =>
        SecretKey().IsMatch(key) ? Redacted
        : Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? value.Replace(uri.UserInfo + "@", Redacted + "@", StringComparison.Ordinal)
        : value;

    [GeneratedRegex("password|passwd|pwd|secret|token|key|credential|connectionstring|otlp_headers", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();
}
