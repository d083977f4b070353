using System.Globalization;
using System.Text.Json;

namespace HttpServer.Conformance.Tests.Infrastructure;

public sealed record LogEntry(DateTime Timestamp, string Level, string Category, string Message);

/// <summary>The Api's JSON console log lines (one object per line, UTC timestamps), as podman logs returns them.</summary>
public sealed class AppLog(IReadOnlyList<LogEntry> entries)
{
    public IReadOnlyList<LogEntry> Entries { get; } = entries;

    public static AppLog Parse(string text)
    {
        var entries = new List<LogEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                entries.Add(new LogEntry(
                    DateTime.Parse(root.GetProperty("Timestamp").GetString()!, CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    root.GetProperty("LogLevel").GetString() ?? "",
                    root.GetProperty("Category").GetString() ?? "",
                    root.GetProperty("Message").GetString() ?? ""));
            }
            catch (JsonException)
            {
                // Not one of the Api's lines.
            }
        }
        return new AppLog(entries);
    }

    /// <summary>The first entry whose message starts with the text, or null.</summary>
    public LogEntry? First(string messageStart) =>
        Entries.FirstOrDefault(e => e.Message.StartsWith(messageStart, StringComparison.Ordinal));

    /// <summary>Whether the messages appear in this order (each after the one before).</summary>
    public bool HasInOrder(params string[] messageStarts)
    {
        var index = 0;
        foreach (var entry in Entries)
        {
            if (index < messageStarts.Length && entry.Message.StartsWith(messageStarts[index], StringComparison.Ordinal))
            {
                index++;
            }
        }
        return index == messageStarts.Length;
    }
}
