using HttpServer.ServiceDefaults.AccessLogConsole;

namespace HttpServer.ServiceDefaults.Logging;

public static class LoggingExtensions
{
    /// <summary>JSON lines on stdout outside Development; levels come from (reloadable) configuration. The access log's settings.</summary>
    public static TBuilder ConfigureLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddCheckedOptions<AccessLogOptions>(AccessLogOptions.SectionName, static (section, o) => section.Bind(o));
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff "));
            return builder;
        }
        builder.Logging.AddJsonConsole(o => (o.TimestampFormat, o.UseUtcTimestamp) = ("yyyy-MM-ddTHH:mm:ss.fffZ", true));
        // The access log (a line per request) gets the same JSON lines from a batching writer instead.
        AccessLogConsoleProvider.AddTo(builder.Logging);
        return builder;
    }
}

/// <summary>Section <c>AccessLog</c>: levels of the one-line-per-request log (by name only, as every log level).</summary>
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
