using System.Collections;
using System.Text.Json;

namespace HttpServer.ServiceDefaults.AccessLogConsole;

/// <summary>One access log line: written as JSON without allocating here, read as the usual named values by other providers.</summary>
internal readonly struct AccessLogEntry(string clientIp, string method, string path, int statusCode, double durationMs, string traceId)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string OriginalFormat = "{ClientIp} \"{Method} {Path}\" {StatusCode} {DurationMs:0.000}ms trace={TraceId}";

    public static readonly Func<AccessLogEntry, Exception?, string> Formatter = static (entry, _) => entry.ToString();

    public int Count => 7;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ClientIp", clientIp),
        1 => new("Method", method),
        2 => new("Path", path),
        3 => new("StatusCode", statusCode),
        4 => new("DurationMs", durationMs),
        5 => new("TraceId", traceId),
        6 => new("{OriginalFormat}", OriginalFormat),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Message and State, in the JSON console formatter's order (an access log line carries no exception).</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        Span<char> message = stackalloc char[512];
        if (TryFormatMessage(message, out var written))
        {
            writer.WriteString("Message"u8, message[..written]);
        }
        else
        {
            writer.WriteString("Message"u8, ToString());
        }
        writer.WriteStartObject("State"u8);
        writer.WriteString("ClientIp"u8, clientIp);
        writer.WriteString("Method"u8, method);
        writer.WriteString("Path"u8, path);
        writer.WriteNumber("StatusCode"u8, statusCode);
        writer.WriteNumber("DurationMs"u8, durationMs);
        writer.WriteString("TraceId"u8, traceId);
        writer.WriteString("{OriginalFormat}"u8, OriginalFormat);
        writer.WriteEndObject();
    }

    private bool TryFormatMessage(Span<char> destination, out int written) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{clientIp} \"{method} {path}\" {statusCode} {durationMs:0.000}ms trace={traceId}", out written);

    /// <summary>The message as a string: for other providers, and for paths too long for a stack buffer.</summary>
    public override string ToString()
    {
        var buffer = new char[256 + path.Length];
        int written;
        while (!TryFormatMessage(buffer, out written))
        {
            buffer = new char[buffer.Length * 2];
        }
        return new string(buffer, 0, written);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
