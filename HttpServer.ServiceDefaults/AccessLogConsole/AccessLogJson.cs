using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace HttpServer.ServiceDefaults.AccessLogConsole;

/// <summary>The parts of a JSON log line that <see cref="AccessLogConsoleLogger"/> writes, shaped as the JSON console formatter's.</summary>
internal static class AccessLogJson
{
    [ThreadStatic] private static TimestampCache? t_timestamp;

    private static readonly string[] LevelNames = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    public static string LevelName(LogLevel level) => LevelNames[Math.Min((int)level, LevelNames.Length - 1)];

    /// <summary>Message and State, in the JSON console formatter's order (an access log line carries no exception).</summary>
    public static void WriteEntry(Utf8JsonWriter writer, in AccessLogEntry entry)
    {
        Span<char> message = stackalloc char[512];
        if (entry.TryFormatMessage(message, out var written))
        {
            writer.WriteString("Message"u8, message[..written]);
        }
        else
        {
            writer.WriteString("Message"u8, entry.ToString());
        }
        writer.WriteStartObject("State"u8);
        writer.WriteString("ClientIp"u8, entry.ClientIp);
        writer.WriteString("Method"u8, entry.Method);
        writer.WriteString("Path"u8, entry.Path);
        writer.WriteNumber("StatusCode"u8, entry.StatusCode);
        writer.WriteNumber("DurationMs"u8, entry.DurationMs);
        writer.WriteString("TraceId"u8, entry.TraceId);
        writer.WriteString("{OriginalFormat}"u8, AccessLogEntry.OriginalFormat);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Formatting a custom timestamp pattern costs about as much as the rest of the line, so each thread keeps the
    /// last one and reuses it within the same millisecond, for patterns no finer than milliseconds.
    /// </summary>
    public static void WriteTimestamp(Utf8JsonWriter writer, string format, bool utc)
    {
        var now = utc ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
        var millisecond = now.Ticks / TimeSpan.TicksPerMillisecond;
        var cache = t_timestamp ??= new TimestampCache();
        if (millisecond != cache.Millisecond || utc != cache.Utc || !ReferenceEquals(format, cache.Format))
        {
            cache.Millisecond = -1; // not valid until formatted
            if (!now.TryFormat(cache.Text, out cache.Length, format, CultureInfo.InvariantCulture))
            {
                return;
            }
            (cache.Millisecond, cache.Utc, cache.Format) = (IsMillisecondsOrCoarser(format) ? millisecond : -1, utc, format);
        }
        writer.WriteString("Timestamp"u8, cache.Text.AsSpan(0, cache.Length));
    }

    /// <summary>False for "o"/"O" and custom patterns with more than three fraction digits ("ffff", "FFFF").</summary>
    private static bool IsMillisecondsOrCoarser(string format) => format.Length == 1
        ? format is not ("o" or "O")
        : !format.Contains("ffff", StringComparison.Ordinal) && !format.Contains("FFFF", StringComparison.Ordinal);

    private sealed class TimestampCache
    {
        public readonly char[] Text = new char[64];
        public int Length;
        public long Millisecond = -1;
        public bool Utc;
        public string? Format;
    }
}
