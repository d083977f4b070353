using System.Net.Sockets;
using System.Runtime.Versioning;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

/// <summary>
/// The client IP in the access log cannot be forged with X-Forwarded-For: only a configured proxy is believed.
/// Real processes on loopback (the test runner is 127.0.0.1, an untrusted peer unless configured).
/// </summary>
[Collection(RealProcesses.Name)]
[SupportedOSPlatform("linux")] // nginx from Debian; any 127.x.x.x source address
public sealed class ForwardedHeadersTests
{
    private const string ForgedIp = "6.6.6.6";

    [Theory]
    [InlineData("ForwardedHeaders__Enabled=false")]
    [InlineData("ASPNETCORE_FORWARDEDHEADERS_ENABLED=true")]
    [InlineData("ForwardedHeaders__Enabled=true", "ForwardedHeaders__KnownNetworks__0=10.0.0.0/8")]
    [InlineData("ForwardedHeaders__Enabled=true", "ForwardedHeaders__KnownProxies__0=10.0.0.1")]
    public async Task A_forged_x_forwarded_for_from_an_untrusted_peer_is_logged_as_that_peer(params string[] environment)
    {
        await using var api = ApiProcess.Start(environment.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]));
        await api.WaitForReadyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/forged");
        request.Headers.Add("X-Forwarded-For", ForgedIp);

        await api.Client.SendAsync(request);

        Assert.Equal("127.0.0.1", await LoggedClientIpAsync(api, "/forged"));
    }

    [Fact]
    public async Task ASPNETCORE_FORWARDEDHEADERS_ENABLED_is_ignored_with_one_warning_at_start()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true" });
        await api.WaitForReadyAsync();

        var warning = Assert.Single(api.LogEntries("HttpServer.ForwardedHeaders"));
        Assert.Equal("Warning", warning.GetProperty("LogLevel").GetString());
        var message = warning.GetProperty("Message").GetString();
        Assert.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED is ignored", message, StringComparison.Ordinal);
        Assert.Contains("ForwardedHeaders:Enabled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_ASPNETCORE_FORWARDEDHEADERS_ENABLED_there_is_no_forwarded_headers_warning()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["ForwardedHeaders__Enabled"] = "true", ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1" });
        await api.WaitForReadyAsync();

        Assert.Empty(api.LogEntries("HttpServer.ForwardedHeaders"));
    }

    [Fact]
    public async Task Behind_a_trusted_reverse_proxy_the_original_client_is_logged_and_not_the_ip_it_forged()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?>
        {
            ["ForwardedHeaders__Enabled"] = "true",
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        });
        await api.WaitForReadyAsync();
        await using var proxy = await NginxReverseProxy.StartAsync(api.BaseAddress);
        using var client = ClientFrom(IPAddress.Parse("127.0.0.2"), proxy.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/through-proxy");
        request.Headers.Add("X-Forwarded-For", ForgedIp);

        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{response.StatusCode} from nginx: {proxy.ErrorLog}");
        Assert.Equal("127.0.0.2", await LoggedClientIpAsync(api, "/through-proxy"));
    }

    /// <summary>A client whose connections come from <paramref name="source"/> (Linux routes all of 127.0.0.0/8 to lo).</summary>
    private static HttpClient ClientFrom(IPAddress source, Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The ClientIp of the request's access log line, waited for: the access log is written in batches.</summary>
    private static async Task<string?> LoggedClientIpAsync(ApiProcess api, string path)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var entries = api.LogEntries("HttpServer.AccessLog").Select(e => e.GetProperty("State"))
                .Where(s => s.GetProperty("Path").GetString() == path).ToList();
            if (entries.Count > 0)
            {
                return Assert.Single(entries).GetProperty("ClientIp").GetString();
            }
            await Task.Delay(100);
        }
        Assert.Fail($"No access log line for {path}:\n{api.Log}");
        return null;
    }
}
