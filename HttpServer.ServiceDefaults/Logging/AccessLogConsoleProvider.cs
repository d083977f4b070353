using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace HttpServer.ServiceDefaults.Logging;

/// <summary>
/// The access log's JSON lines on stdout, shaped as the JSON console formatter's (Timestamp, EventId,
/// LogLevel, Category, Message, State) but written in batches. The console logger hands every line to its
/// writer thread through a lock and a wake-up, which cost about as much CPU as the request itself under load
/// (see bench/README.md); the access log is the one category with a line per request, so only it comes here.
/// </summary>
[ProviderAlias("AccessLogConsole")]
internal sealed class AccessLogConsoleProvider(IOptionsMonitor<JsonConsoleFormatterOptions> options) : ILoggerProvider
{
    private readonly BufferedStandardOutput _output = new(Console.OpenStandardOutput());

    public ILogger CreateLogger(string categoryName) =>
        categoryName == AccessLogMiddleware.Category ? new AccessLogConsoleLogger(categoryName, _output, options) : NullLogger.Instance;

    public void Dispose() => _output.Dispose();
}

internal sealed class AccessLogConsoleLogger(string category, BufferedStandardOutput output,
    IOptionsMonitor<JsonConsoleFormatterOptions> options) : ILogger
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var settings = options.CurrentValue;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, settings.JsonWriterOptions);
        writer.Reset(buffer);

        writer.WriteStartObject();
        if (settings.TimestampFormat is { } format)
        {
            var now = settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            Span<char> timestamp = stackalloc char[64];
            if (now.TryFormat(timestamp, out var written, format, CultureInfo.InvariantCulture))
            {
                writer.WriteString("Timestamp", timestamp[..written]);
            }
        }
        writer.WriteNumber("EventId", eventId.Id);
        writer.WriteString("LogLevel", LevelName(logLevel));
        writer.WriteString("Category", category);
        writer.WriteString("Message", formatter(state, exception));
        if (exception is not null)
        {
            writer.WriteString("Exception", exception.ToString().Replace(Environment.NewLine, " ", StringComparison.Ordinal));
        }
        if (state is IReadOnlyList<KeyValuePair<string, object?>> items)
        {
            writer.WriteStartObject("State");
            for (var i = 0; i < items.Count; i++)
            {
                WriteItem(writer, items[i]);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.Flush();
        buffer.Write("\n"u8);
        output.WriteLine(buffer.WrittenSpan);
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        _ => "Critical",
    };

    private static void WriteItem(Utf8JsonWriter writer, KeyValuePair<string, object?> item)
    {
        switch (item.Value)
        {
            case null: writer.WriteNull(item.Key); break;
            case bool value: writer.WriteBoolean(item.Key, value); break;
            case int value: writer.WriteNumber(item.Key, value); break;
            case long value: writer.WriteNumber(item.Key, value); break;
            case double value: writer.WriteNumber(item.Key, value); break;
            case float value: writer.WriteNumber(item.Key, value); break;
            case decimal value: writer.WriteNumber(item.Key, value); break;
            case string value: writer.WriteString(item.Key, value); break;
            default: writer.WriteString(item.Key, Convert.ToString(item.Value, CultureInfo.InvariantCulture)); break;
        }
    }
}
