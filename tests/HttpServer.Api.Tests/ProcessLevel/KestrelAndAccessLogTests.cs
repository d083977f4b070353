using System.Net.Sockets;
using System.Text;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

[Collection(RealProcesses.Name)]
public sealed class KestrelAndAccessLogTests
{
    [Fact]
    public async Task Access_log_has_one_json_line_per_request_with_client_ip_and_status_code()
    {
        await using var api = ApiProcess.Start();
        await api.WaitForReadyAsync();

        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/missing")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Client.GetAsync("/status/99")).StatusCode);
        await api.WaitForAccessLogMarkerAsync();

        var entries = api.LogEntries(ApiProcess.AccessLogCategory).Select(e => e.GetProperty("State")).ToList();
        var requests = entries.Select(s => (Ip: s.GetProperty("ClientIp").GetString(), Path: s.GetProperty("Path").GetString(),
            Status: s.GetProperty("StatusCode").GetInt32())).ToList();
        Assert.Contains(("127.0.0.1", "/", 200), requests);
        Assert.Contains(("127.0.0.1", "/missing", 404), requests);
        Assert.Contains(("127.0.0.1", "/status/99", 400), requests);
        Assert.DoesNotContain(requests, r => r.Path == "/readyz"); // probes log at Debug
        Assert.All(entries, s => Assert.Matches("^[0-9a-f]{32}$", s.GetProperty("TraceId").GetString()));
    }

    [Fact]
    public async Task Access_log_line_continues_the_callers_trace_with_no_collector_configured()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        await using var api = ApiProcess.Start(); // no OTEL_EXPORTER_OTLP_ENDPOINT: the tracing SDK is off
        await api.WaitForReadyAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/traced");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.SendAsync(request)).StatusCode);
        await api.WaitForAccessLogMarkerAsync();

        var entry = Assert.Single(api.LogEntries(ApiProcess.AccessLogCategory), e => e.GetProperty("State").GetProperty("Path").GetString() == "/traced");
        var state = entry.GetProperty("State");
        Assert.Equal(traceId, state.GetProperty("TraceId").GetString());
        Assert.Equal(404, state.GetProperty("StatusCode").GetInt32());
        Assert.Equal(1, entry.GetProperty("EventId").GetInt32());
        Assert.Matches($"^127\\.0\\.0\\.1 \"GET /traced\" 404 [0-9]+\\.[0-9]{{3}}ms trace={traceId}$", entry.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task Access_log_message_of_a_path_longer_than_its_stack_buffer_is_whole()
    {
        var path = "/" + new string('p', 2000);
        await using var api = ApiProcess.Start();
        await api.WaitForReadyAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync(path)).StatusCode);
        await api.WaitForAccessLogMarkerAsync();

        var entry = Assert.Single(api.LogEntries(ApiProcess.AccessLogCategory), e => e.GetProperty("State").GetProperty("Path").GetString() == path);
        Assert.StartsWith($"127.0.0.1 \"GET {path}\" 404 ", entry.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task Oversized_headers_are_refused_with_431_and_the_server_stays_ready()
    {
        await using var api = ApiProcess.Start();
        await api.WaitForReadyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Huge", new string('a', 64 * 1024));

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Header_size_limit_comes_from_configuration()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["Kestrel__Limits__MaxRequestHeadersTotalSize"] = "4096" });
        await api.WaitForReadyAsync();

        Assert.Equal(HttpStatusCode.OK, (await SendWithHeaderAsync(api, 2 * 1024)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await SendWithHeaderAsync(api, 6 * 1024)).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendWithHeaderAsync(ApiProcess api, int size)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Big", new string('a', size));
        return await api.Client.SendAsync(request);
    }

    [Fact]
    public async Task Repeated_request_header_lines_come_back_as_repeated_response_header_lines()
    {
        await using var api = ApiProcess.Start();
        await api.WaitForReadyAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, api.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Dup: first\r\nX-Dup: second\r\nConnection: close\r\n\r\n";

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var raw = await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 200", raw);
        Assert.Contains("\r\nX-Dup: first\r\n", raw);
        Assert.Contains("\r\nX-Dup: second\r\n", raw);
        Assert.DoesNotContain("\r\nHost:", raw);
    }
}
