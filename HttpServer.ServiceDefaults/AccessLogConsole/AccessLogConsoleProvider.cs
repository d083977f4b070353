using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using HttpServer.ServiceDefaults.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace HttpServer.ServiceDefaults.AccessLogConsole;

/// <summary>
/// The access log's JSON lines on stdout, shaped as the JSON console formatter's (Timestamp, EventId,
/// LogLevel, Category, Message, State) but written in batches. The console logger hands every line to its
/// writer thread through a lock and a wake-up, which cost about as much CPU as the request itself under load
/// (README.md here); the access log is the one category with a line per request, so only it comes here.
/// </summary>
[ProviderAlias("AccessLogConsole")]
internal sealed class AccessLogConsoleProvider(IOptionsMonitor<JsonConsoleFormatterOptions> options) : ILoggerProvider
{
    /// <summary>The access log's category to this provider instead of the console logger. Without this call, the console logger writes it.</summary>
    public static void AddTo(ILoggingBuilder logging)
    {
        logging.AddFilter<ConsoleLoggerProvider>(AccessLogOptions.Category, LogLevel.None);
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, AccessLogConsoleProvider>());
    }

    private readonly BufferedStandardOutput _output = new(Console.OpenStandardOutput(), BufferedStandardOutput.IsStandardOutputRegularFile());

    public ILogger CreateLogger(string categoryName) =>
        categoryName == AccessLogOptions.Category ? new AccessLogConsoleLogger(categoryName, _output, options) : NullLogger.Instance;

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
            AccessLogJson.WriteTimestamp(writer, format, settings.UseUtcTimestamp);
        }
        writer.WriteNumber("EventId"u8, eventId.Id);
        writer.WriteString("LogLevel"u8, AccessLogJson.LevelName(logLevel));
        writer.WriteString("Category"u8, category);
        if (typeof(TState) == typeof(AccessLogEntry))
        {
            // The one line per request: message and fields written straight from the struct, nothing allocated.
            AccessLogJson.WriteEntry(writer, Unsafe.As<TState, AccessLogEntry>(ref state));
        }
        else
        {
            writer.WriteString("Message"u8, formatter(state, exception)); // the category logs nothing else
        }
        writer.WriteEndObject();
        writer.Flush();
        buffer.Write("\n"u8);
        output.WriteLine(buffer.WrittenSpan);
    }
}
