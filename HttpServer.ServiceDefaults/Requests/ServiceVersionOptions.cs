namespace HttpServer.ServiceDefaults.Requests;

/// <summary>The <c>VERSION</c> setting (the environment variable, or a mounted ConfigMap file); reloadable.</summary>
public sealed class ServiceVersionOptions
{
    public const string Key = "VERSION";

    /// <summary>Sent in a header on every response: a character Kestrel can't write there would fail every request.</summary>
    [ConfigurationKeyName(Key)]
    [RegularExpression(@"^\s*[!-~]{0,128}\s*$", ErrorMessage = "expected empty, or 1 to 128 visible ASCII characters (0x21-0x7E)")]
    public string? Value { get; set; }

    /// <summary>The setting, or "unknown" when it is unset or blank (the same everywhere it shows).</summary>
    public string Version => string.IsNullOrWhiteSpace(Value) ? "unknown" : Value.Trim();
}

[OptionsValidator]
internal sealed partial class ServiceVersionOptionsValidator : IValidateOptions<ServiceVersionOptions>;
