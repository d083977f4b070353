namespace HttpServer.ServiceDefaults.Logging;

/// <summary>Section <c>AccessLog</c>: levels of the one-line-per-request log (names only: the settings guard's LogLevelCheck).</summary>
public sealed class AccessLogOptions
{
    public const string SectionName = "AccessLog";
    public const string Category = "HttpServer.AccessLog";
    public static readonly EventId Event = new(1, "AccessLog");

    /// <summary>Level of ordinary requests.</summary>
    public LogLevel Level { get; set; } = LogLevel.Information;

    /// <summary>Level of probes, scrapes and warm-up requests, which come every few seconds.</summary>
    public LogLevel ProbeLevel { get; set; } = LogLevel.Debug;
}
