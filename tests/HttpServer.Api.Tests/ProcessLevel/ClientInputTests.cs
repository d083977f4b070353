using System.Runtime.Versioning;
using System.Text;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>
/// Whatever a client sends, through a real socket: never a 5xx, never an Error line, and the server stays ready.
/// Each test ends with those three checks; the last test is their control.
/// </summary>
[Collection(RealProcesses.Name)]
public sealed class ClientInputTests(ClientInputFixture fixture) : IClassFixture<ClientInputFixture>
{
    public static TheoryData<int> EveryByte() => [.. Enumerable.Range(0, 256)];

    [Fact]
    public async Task Header_names_with_every_byte_get_an_answer_below_500_and_only_token_names_are_echoed()
    {
        var answers = new List<string>();
        foreach (var b in Enumerable.Range(0, 256))
        {
            answers.Add(await SendAsync(Request(headerName: [(byte)'X', (byte)'-', (byte)b, (byte)'z'])));
        }

        Assert.All(answers, raw => Assert.InRange(RawHttp.StatusOf(raw) ?? 0, 200, 499));
        Assert.Contains("\r\nX-az: v\r\n", answers['a']);
        Assert.Equal(200, RawHttp.StatusOf(answers[0x01])); // Kestrel lets a control byte through in a name...
        Assert.DoesNotContain("z: v", answers[0x01]); // ...and the echo leaves that header out
        await AssertUnharmedAsync();
    }

    [Fact]
    public async Task Header_values_with_every_byte_get_an_answer_below_500_and_unwritable_values_are_not_echoed()
    {
        foreach (var b in Enumerable.Range(0, 256))
        {
            var raw = await SendAsync(Request(headerValue: [(byte)'a', (byte)b, (byte)'z']));
            var status = RawHttp.StatusOf(raw);

            Assert.True(status is >= 200 and < 500, $"byte 0x{b:x2}: {raw}");
            if (status == 200 && (b is < 0x20 and not 0x09 || b >= 0x7f))
            {
                Assert.DoesNotContain("\r\nX-Probe:", raw); // skipped, not a 500
            }
        }
        await AssertUnharmedAsync();
    }

    [Fact]
    public async Task A_utf8_header_value_is_skipped_and_the_others_are_echoed()
    {
        var raw = await SendAsync(Encoding.UTF8.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nX-Cafe: caf\u00e9\r\nX-Plain: ok\r\nConnection: close\r\n\r\n"));

        Assert.Equal(200, RawHttp.StatusOf(raw));
        Assert.Contains("\r\nX-Plain: ok\r\n", raw);
        Assert.DoesNotContain("X-Cafe", raw);
        await AssertUnharmedAsync();
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400)] // chunk size not hex
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcde\r\n0\r\n\r\n", 400)] // chunk longer than said
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400)] // chunk size overflow
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc", 400)] // final coding not chunked
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400)] // no Host
    [InlineData("GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505)] // the one 5xx HTTP reserves for the client's version
    [InlineData("G\u00c9T / HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /\u0001 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404)] // a control byte in the path is only an unknown route
    [InlineData("GET / HTTP/1.1\nHost: x\nConnection: close\n\n", 200)] // bare LF: Kestrel accepts it as a line end
    [InlineData(" GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n Folded: header\r\n\r\n", 400)]
    public async Task Framing_and_chunking_errors_keep_their_4xx_status(string request, int expected)
    {
        var raw = await RawHttp.SendAsync(fixture.Port, request, TimeSpan.FromSeconds(10));

        Assert.Equal(expected, RawHttp.StatusOf(raw));
        await AssertUnharmedAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_a_413_problem_and_no_100_continue_is_sent(bool expectContinue)
    {
        var size = ClientInputFixture.MaxBodyBytes + 1;
        var head = $"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n{(expectContinue ? "Expect: 100-continue\r\n" : "")}\r\n";
        var raw = await RawHttp.SendAsync(fixture.Port, expectContinue ? head : head + new string('a', size));

        Assert.Equal(413, RawHttp.StatusOf(raw));
        Assert.Contains("application/problem+json", raw);
        Assert.DoesNotContain("100 Continue", raw);
        await AssertUnharmedAsync();
    }

    [Fact]
    public async Task A_body_that_arrives_too_slowly_is_a_408_problem()
    {
        // Kestrel's minimum body rate (240 bytes/s after a 5 s grace period) is what this trips.
        var raw = await RawHttp.SendAsync(fixture.Port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc", TimeSpan.FromSeconds(20));

        Assert.Equal(408, RawHttp.StatusOf(raw));
        Assert.Contains("application/problem+json", raw);
        await AssertUnharmedAsync();
    }

    [Fact]
    public async Task Requests_kestrel_rejects_are_in_the_access_log_with_client_ip_and_status()
    {
        var lineTooLong = $"GET /{new string('l', ClientInputFixture.MaxRequestLineBytes)} HTTP/1.1\r\nHost: x\r\n\r\n";
        var headersTooLarge = $"GET /big HTTP/1.1\r\nHost: x\r\nX-Big: {new string('h', 40 * 1024)}\r\n\r\n";
        var statuses = new[]
        {
            RawHttp.StatusOf(await RawHttp.SendAsync(fixture.Port, "GET / HTTP/1.1\r\nHost: x\r\nBad Name: x\r\n\r\n")),
            RawHttp.StatusOf(await RawHttp.SendAsync(fixture.Port, lineTooLong)),
            RawHttp.StatusOf(await RawHttp.SendAsync(fixture.Port, headersTooLarge)),
        };

        Assert.Equal([400, 414, 431], statuses);
        foreach (var status in statuses)
        {
            // Written in batches: each line is waited for (bounded), not slept for.
            await fixture.Api.WaitForLogEntryAsync(ApiProcess.AccessLogCategory, e => e.GetProperty("State") is var s
                && s.GetProperty("TraceId").GetString() == "-" && s.GetProperty("ClientIp").GetString() == "127.0.0.1"
                && s.GetProperty("StatusCode").GetInt32() == status);
        }
        await AssertUnharmedAsync();
    }

    private Task<string> SendAsync(byte[] request) => RawHttp.SendAsync(fixture.Port, request, TimeSpan.FromSeconds(10));

    private static byte[] Request(byte[]? headerName = null, byte[]? headerValue = null) =>
    [
        .. "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"u8,
        .. headerName ?? "X-Probe"u8.ToArray(), .. ": "u8, .. headerValue ?? "v"u8.ToArray(), .. "\r\n\r\n"u8,
    ];

    /// <summary>Ready, and no harm in the output (<see cref="ServerHarm"/>).</summary>
    private async Task AssertUnharmedAsync()
    {
        Assert.Equal(HttpStatusCode.OK, await fixture.Api.StatusAsync("/readyz"));
        Assert.Empty(await ServerHarm.FindAsync(fixture.Api));
    }

    /// <summary>
    /// The control of the check above, on an Api of its own: a 500 and an Error line must be seen. No request of this app
    /// logs an Error (that is what the check guards), so the Error comes from a configuration reload the server refuses.
    /// </summary>
    [Fact]
    [SupportedOSPlatform("linux")] // the kubelet's ConfigMap volume layout
    public async Task The_harm_check_sees_a_500_and_an_error_line_when_the_server_has_them()
    {
        var mount = Directory.CreateTempSubdirectory("httpserver-harm-").FullName;
        try
        {
            var volume = ConfigMapVolume.Create(mount, mount, new Dictionary<string, string> { ["VERSION"] = "v1" });
            await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["APP_CONFIG_DIR"] = mount });
            await api.WaitForReadyAsync();
            Assert.Empty(await ServerHarm.FindAsync(api));

            using (var failed = await api.Client.GetAsync("/status/500"))
            {
                Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            }
            volume.Update(new Dictionary<string, string> { ["VERSION"] = "v1", ["FaultInjection__ErrorRate"] = "5" });
            var deadline = DateTime.UtcNow.AddSeconds(20); // the directory is polled every 4 s
            IReadOnlyList<string> harm;
            while ((harm = await ServerHarm.FindAsync(api)).Count < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            Assert.Contains(harm, line => line.StartsWith("127.0.0.1 \"GET /status/500\" 500 ", StringComparison.Ordinal));
            Assert.Contains(harm, line => line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
                && line.Contains("FaultInjection:ErrorRate", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(mount, recursive: true);
        }
    }
}
