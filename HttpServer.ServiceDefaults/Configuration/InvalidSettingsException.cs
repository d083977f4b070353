namespace HttpServer.ServiceDefaults.Configuration;

/// <summary>The configuration the server was started with has values its rules refuse; the message is one line.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<SettingError> errors)
    : Exception("Invalid configuration, the server did not start: " + string.Join("; ", errors))
{
    public IReadOnlyList<SettingError> Errors { get; } = errors;
}
