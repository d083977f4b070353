using HttpServer.ServiceDefaults.AccessLogConsole;

namespace HttpServer.ServiceDefaults.Logging;

public static class LoggingExtensions
{
    /// <summary>JSON lines on stdout outside Development; levels come from (reloadable) configuration.</summary>
    public static TBuilder ConfigureLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
            // The access log (a line per request) gets the same JSON lines from a batching writer instead.
            AccessLogConsoleProvider.AddTo(builder.Logging);
        }
        return builder;
    }

    public static TBuilder AddAccessLog<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddCheckedOptions<AccessLogOptions>(AccessLogOptions.SectionName, static (section, o) => section.Bind(o));
        builder.Services.AddSingleton<RejectedRequestLog>();
        return builder;
    }
}
