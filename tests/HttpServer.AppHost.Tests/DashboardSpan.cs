using System.Text.Json;

namespace HttpServer.AppHost.Tests;

/// <summary>A span as the dashboard's telemetry API returns it (OTLP JSON), with the service that sent it.</summary>
public sealed record DashboardSpan(string Service, string Name, string SpanId, string? ParentSpanId)
{
    /// <summary>Reads <c>data.resourceSpans[].scopeSpans[].spans[]</c>, the service from the resource's <c>service.name</c>.</summary>
    public static IReadOnlyList<DashboardSpan> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<DashboardSpan>();
        foreach (var resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.name")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString())
                .FirstOrDefault() ?? "";
            foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scopeSpans.GetProperty("spans").EnumerateArray())
                {
                    var parent = span.TryGetProperty("parentSpanId", out var p) && p.GetString() is { Length: > 0 } id ? id : null;
                    spans.Add(new DashboardSpan(service, span.GetProperty("name").GetString() ?? "", span.GetProperty("spanId").GetString() ?? "", parent));
                }
            }
        }
        return spans;
    }
}
