using HttpServer.Api.Tests.Infrastructure;

namespace HttpServer.Api.Tests.Endpoints;

public sealed class EchoEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Get_root_copies_every_value_of_a_multi_valued_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("X-Multi", ["one", "two"]);
        request.Headers.Add("X-Single", "value");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["one", "two"], response.Headers.GetValues("X-Multi").SelectMany(v => v.Split(", ")));
        Assert.Equal(["value"], response.Headers.GetValues("X-Single"));
    }

    [Theory]
    [InlineData("Connection", "X-Hop-Only")]
    [InlineData("Keep-Alive", "timeout=5")]
    [InlineData("TE", "trailers")]
    [InlineData("Trailer", "X-Checksum")]
    [InlineData("Upgrade", "websocket")]
    [InlineData("Proxy-Authorization", "Basic eDp5")]
    [InlineData("Proxy-Connection", "keep-alive")]
    [InlineData("Expect", "100-continue")]
    [InlineData("VERSION", "forged")]
    public Task Get_root_does_not_echo_hop_by_hop_or_reserved_headers(string name, string value) => AssertNotEchoedAsync(name, value);

    [Theory]
    [InlineData("Set-Cookie", "session=attacker; Path=/")]
    [InlineData("Cache-Control", "public, max-age=31536000")]
    [InlineData("Expires", "Fri, 01 Jan 2100 00:00:00 GMT")]
    [InlineData("Vary", "*")]
    [InlineData("Access-Control-Allow-Origin", "https://evil.example")]
    [InlineData("Access-Control-Allow-Credentials", "true")]
    [InlineData("Content-Security-Policy", "script-src *")]
    [InlineData("Content-Security-Policy-Report-Only", "default-src 'none'")]
    [InlineData("Strict-Transport-Security", "max-age=0")]
    [InlineData("Location", "https://evil.example/")]
    [InlineData("Refresh", "0; url=https://evil.example/")]
    [InlineData("Link", "<https://evil.example/x.js>; rel=preload")]
    [InlineData("Alt-Svc", "h2=\"evil.example:443\"")]
    [InlineData("WWW-Authenticate", "Basic realm=\"login\"")]
    [InlineData("Server", "forged")]
    [InlineData("Date", "Thu, 01 Jan 1970 00:00:00 GMT")]
    public Task Get_root_refuses_headers_that_would_steer_browsers_caches_or_the_servers_identity(string name, string value) =>
        AssertNotEchoedAsync(name, value);

    [Theory]
    [InlineData("X-Accel-Redirect", "/admin-only/x")]
    [InlineData("X-Accel-Expires", "86400")]
    [InlineData("X-Accel-Buffering", "no")]
    [InlineData("X-Accel-Limit-Rate", "1")]
    [InlineData("X-Accel-Charset", "koi8-r")]
    [InlineData("X-Sendfile", "/etc/passwd")]
    [InlineData("Status", "200 OK")]
    [InlineData("Surrogate-Control", "max-age=31536000")]
    [InlineData("CDN-Cache-Control", "max-age=31536000")]
    [InlineData("Cloudflare-CDN-Cache-Control", "max-age=31536000")]
    [InlineData("Accept-Ranges", "bytes")]
    [InlineData("Retry-After", "86400")]
    [InlineData("Content-Type", "text/html")]
    [InlineData("Content-Disposition", "attachment; filename=evil.html")]
    [InlineData("Reporting-Endpoints", "default=\"https://evil.example/r\"")]
    [InlineData("Report-To", "{\"group\":\"default\",\"max_age\":1,\"endpoints\":[{\"url\":\"https://evil.example/r\"}]}")]
    [InlineData("NEL", "{\"report_to\":\"default\",\"max_age\":31536000}")]
    [InlineData("Accept-CH", "Sec-CH-UA-Full-Version-List")]
    [InlineData("X-XSS-Protection", "0")]
    [InlineData("X-Permitted-Cross-Domain-Policies", "all")]
    [InlineData("Timing-Allow-Origin", "*")]
    [InlineData("Origin-Agent-Cluster", "?0")]
    public Task Get_root_refuses_headers_that_order_the_proxy_in_front_a_cdn_or_the_browsers_policy(string name, string value) =>
        AssertNotEchoedAsync(name, value);

    /// <summary>The request carries the header and a control one: the response has the control header, not that value.</summary>
    private async Task AssertNotEchoedAsync(string name, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (!request.Headers.TryAddWithoutValidation(name, value))
        {
            // A content header (Content-Type): it goes on the request's (empty) body.
            request.Content = new ByteArrayContent([]);
            Assert.True(request.Content.Headers.TryAddWithoutValidation(name, value));
        }
        request.Headers.Add("X-Control", "kept");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["kept"], response.Headers.GetValues("X-Control"));
        // Joined again: the client splits "public, max-age=..." into two values.
        var echoed = string.Join(", ", response.Headers.Concat(response.Content.Headers)
            .Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value));
        Assert.DoesNotContain(value, echoed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_root_does_not_echo_a_header_that_the_connection_header_nominates_as_hop_by_hop()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        // Alone: Kestrel reduces "keep-alive, X-Hop" to "keep-alive" before the app sees it (docs/http.md, echo).
        request.Headers.TryAddWithoutValidation("Connection", "X-Hop");
        request.Headers.Add("X-Hop", "secret");
        request.Headers.Add("X-Other", "kept");

        using var response = await _client.SendAsync(request);

        Assert.False(response.Headers.Contains("X-Hop"));
        Assert.Equal(["kept"], response.Headers.GetValues("X-Other"));
    }

    [Fact]
    public async Task Get_root_does_not_echo_host_or_content_framing_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("payload") };
        request.Content.Headers.TryAddWithoutValidation("Content-Encoding", "identity");
        request.Headers.Host = "example.test";

        using var response = await _client.SendAsync(request);

        Assert.False(response.Headers.Contains("Host"));
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Post_root_with_a_body_reads_it_and_still_echoes_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new ByteArrayContent(new byte[64 * 1024]),
        };
        request.Headers.Add("X-Trace-Me", "yes");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["yes"], response.Headers.GetValues("X-Trace-Me"));
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Other_common_methods_on_root_echo_too(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/");
        request.Headers.Add("X-Method-Test", method);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([method], response.Headers.GetValues("X-Method-Test"));
    }

    [Fact]
    public async Task Options_on_root_lists_the_allowed_methods()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Trace_on_root_is_refused_with_405_problem_details()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Trace, "/"));

        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }
}
