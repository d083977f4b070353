using System.Collections;
using System.Globalization;

namespace HttpServer.ServiceDefaults.AccessLogConsole;

/// <summary>
/// The fields of one access log line. A struct state: the batching console provider writes it as JSON without
/// allocating; any other provider reads it as the usual list of named values, ending with {OriginalFormat}.
/// </summary>
internal readonly struct AccessLogEntry(string clientIp, string method, string path, int statusCode, double durationMs, string traceId)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string OriginalFormat = "{ClientIp} \"{Method} {Path}\" {StatusCode} {DurationMs:0.000}ms trace={TraceId}";

    public static readonly Func<AccessLogEntry, Exception?, string> Formatter = static (entry, _) => entry.ToString();

    public string ClientIp => clientIp;
    public string Method => method;
    public string Path => path;
    public int StatusCode => statusCode;
    public double DurationMs => durationMs;
    public string TraceId => traceId;

    public int Count => 7;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(nameof(ClientIp), clientIp),
        1 => new(nameof(Method), method),
        2 => new(nameof(Path), path),
        3 => new(nameof(StatusCode), statusCode),
        4 => new(nameof(DurationMs), durationMs),
        5 => new(nameof(TraceId), traceId),
        6 => new("{OriginalFormat}", OriginalFormat),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>The message into a caller's buffer; false when it does not fit (a very long path).</summary>
    public bool TryFormatMessage(Span<char> destination, out int written) =>
        destination.TryWrite(CultureInfo.InvariantCulture,
            $"{clientIp} \"{method} {path}\" {statusCode} {durationMs:0.000}ms trace={traceId}", out written);

    /// <summary>The same message as a string: for other providers, and for paths too long for a stack buffer.</summary>
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
