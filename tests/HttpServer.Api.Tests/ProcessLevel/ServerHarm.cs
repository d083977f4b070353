using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>
/// What no client input may leave in the server's output: a line at Error or Critical level (whatever its category), an
/// unhandled exception, or an access-log line with a 5xx status other than 505, the status HTTP defines for a version
/// the server does not speak (Kestrel's own answer to "HTTP/9.9").
/// </summary>
internal static class ServerHarm
{
    /// <summary>Every such line so far: a marker request's own access-log line is waited for first (no sleep).</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(ApiProcess api)
    {
        await api.WaitForAccessLogMarkerAsync();
        var errorLines = api.Lines.Where(l =>
            l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)
            || l.StartsWith("Unhandled exception", StringComparison.Ordinal));
        var fiveHundreds = api.LogEntries(ApiProcess.AccessLogCategory)
            .Where(e => e.GetProperty("State").GetProperty("StatusCode").GetInt32() is >= 500 and not 505)
            .Select(e => e.GetProperty("Message").GetString()!);
        return [.. errorLines, .. fiveHundreds];
    }
}
