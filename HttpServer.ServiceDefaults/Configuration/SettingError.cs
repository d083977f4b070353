using System.Globalization;
using System.Text;

namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>A setting whose value its rule refuses, or a key no rule knows in a section that has rules.</summary>
public sealed record SettingError(string Key, string Value, string Problem)
{
    private const int MaxShownLength = 64;

    /// <summary>One line, safe to log: control and non-ASCII characters escaped, long values cut.</summary>
    public override string ToString() => $"{Key} = \"{Printable(Value)}\": {Problem}";

    private static string Printable(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value.Length > MaxShownLength ? value[..MaxShownLength] : value)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                text.Append(c);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }
        return value.Length > MaxShownLength ? text.Append("...").ToString() : text.ToString();
    }
}

/// <summary>The configuration the server was started with has values its rules refuse; the message is one line.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<SettingError> errors)
    : Exception("Invalid configuration, the server did not start: " + string.Join("; ", errors))
{
    public IReadOnlyList<SettingError> Errors { get; } = errors;
}
