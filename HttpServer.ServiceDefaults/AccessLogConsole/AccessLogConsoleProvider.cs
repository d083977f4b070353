using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using HttpServer.ServiceDefaults.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace HttpServer.ServiceDefaults.AccessLogConsole;

/// <summary>The access log's lines, shaped as the JSON console formatter's but written in batches (README.md here).</summary>
[ProviderAlias("AccessLogConsole")]
internal sealed class AccessLogConsoleProvider(IOptionsMonitor<JsonConsoleFormatterOptions> options) : ILoggerProvider, ILogger
{
    private static readonly string[] LevelNames = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static TimestampCache? t_timestamp;

    public static void AddTo(ILoggingBuilder logging)
    {
        logging.AddFilter<ConsoleLoggerProvider>(AccessLogOptions.Category, LogLevel.None);
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, AccessLogConsoleProvider>());
    }

    private readonly BufferedStandardOutput _output = new(Console.OpenStandardOutput(), BufferedStandardOutput.IsStandardOutputRegularFile());

    // The one category it writes is its logger.
    public ILogger CreateLogger(string categoryName) => categoryName == AccessLogOptions.Category ? this : NullLogger.Instance;

    public void Dispose() => _output.Dispose();

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
        if (settings.TimestampFormat is { } format && (t_timestamp ??= new()).TryFormat(format, settings.UseUtcTimestamp, out var timestamp))
        {
            writer.WriteString("Timestamp"u8, timestamp);
        }
        writer.WriteNumber("EventId"u8, eventId.Id);
        writer.WriteString("LogLevel"u8, LevelNames[Math.Min((int)logLevel, LevelNames.Length - 1)]);
        writer.WriteString("Category"u8, AccessLogOptions.Category);
        if (typeof(TState) == typeof(AccessLogEntry))
        {
            // The one line per request: message and fields written straight from the struct, nothing allocated.
            Unsafe.As<TState, AccessLogEntry>(ref state).WriteJson(writer);
        }
        else
        {
            writer.WriteString("Message"u8, formatter(state, exception)); // the category logs nothing else
        }
        writer.WriteEndObject();
        writer.Flush();
        buffer.Write("\n"u8);
        _output.WriteLine(buffer.WrittenSpan);
    }

    // Formatting a timestamp costs about as much as the rest of the line: each thread reuses its last within a millisecond.
    private sealed class TimestampCache
    {
        private readonly char[] _text = new char[64];
        private int _length;
        private long _millisecond = -1;
        private bool _utc;
        private string? _format;

        public bool TryFormat(string format, bool utc, out ReadOnlySpan<char> text)
        {
            text = default;
            var now = utc ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            var millisecond = now.Ticks / TimeSpan.TicksPerMillisecond;
            if (millisecond != _millisecond || utc != _utc || !ReferenceEquals(format, _format))
            {
                _millisecond = -1; // not valid until formatted
                if (!now.TryFormat(_text, out _length, format, CultureInfo.InvariantCulture))
                {
                    return false;
                }
                // "o"/"O" and custom patterns with more than three fraction digits change within a millisecond.
                var coarse = format.Length == 1 ? format is not ("o" or "O") : !format.Contains("ffff", StringComparison.Ordinal) && !format.Contains("FFFF", StringComparison.Ordinal);
                (_millisecond, _utc, _format) = (coarse ? millisecond : -1, utc, format);
            }
            text = _text.AsSpan(0, _length);
            return true;
        }
    }
}
