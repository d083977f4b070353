using System.Globalization;
using System.Text;

namespace HttpServer.Conformance.Tests.Infrastructure;

public sealed record SummaryRow(
    string Scenario, string Expected, int Sent, int Failed, int EndpointRemoved, int? ExitCode,
    TimeSpan? TimeToReady, TimeSpan? TimeToExit, string Observed);

/// <summary>The table the suite prints to each test's output and keeps in TestResults/conformance-summary.md.</summary>
public static class ConformanceSummary
{
    private static readonly List<SummaryRow> Rows = [];

    public static string FilePath => Path.Combine(ConformancePaths.TestResults, "conformance-summary.md");

    public static string Add(SummaryRow row)
    {
        lock (Rows)
        {
            Rows.Add(row);
            var table = Render();
            Directory.CreateDirectory(ConformancePaths.TestResults);
            File.WriteAllText(FilePath, "# Pod lifecycle conformance\n\n" + table);
            return table;
        }
    }

    private static string Render()
    {
        var text = new StringBuilder()
            .AppendLine("| scenario | expected | requests sent | failed | endpoint removed | exit code | time to ready | time to exit | observed |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Scenario} | {row.Expected} | {row.Sent} | {row.Failed} | {row.EndpointRemoved} | {row.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"} " +
                $"| {Seconds(row.TimeToReady)} | {Seconds(row.TimeToExit)} | {row.Observed} |");
        }
        return text.ToString();
    }

    private static string Seconds(TimeSpan? time) => time is { } t ? $"{t.TotalSeconds:0.0} s" : "-";
}
