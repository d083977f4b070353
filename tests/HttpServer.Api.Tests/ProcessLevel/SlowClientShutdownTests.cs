using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

[Collection(RealProcesses.Name)]
public sealed class SlowClientShutdownTests
{
    private const int SlowClients = 20;
    private const double DrainSeconds = 1;
    private const double ShutdownTimeoutSeconds = 20;
    // Far below the shutdown timeout, far above drain (1 s) + the in-flight request (2 s): a behaviour bound, not a benchmark.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Shutdown_closes_slow_header_connections_after_the_drain_and_still_finishes_the_in_flight_request()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?>
        {
            ["Lifecycle__DrainDelaySeconds"] = DrainSeconds.ToString(CultureInfo.InvariantCulture),
            ["Lifecycle__ShutdownTimeoutSeconds"] = ShutdownTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        });
        await api.WaitForReadyAsync();
        var slowClients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < SlowClients; i++)
            {
                slowClients.Add(await OpenSlowHeaderConnectionAsync(api));
            }
            using var inFlightClient = new HttpClient { BaseAddress = api.BaseAddress };
            var inFlight = inFlightClient.GetAsync("/delay/2");
            await Task.Delay(300);

            var signalled = Stopwatch.StartNew();
            api.Signal("TERM");
            using var completed = await inFlight;
            var exited = await api.WaitForExitAsync(ExitBound);
            var exitedAfter = signalled.Elapsed;

            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
            Assert.True(exited, $"The Api still ran {ExitBound.TotalSeconds} s after SIGTERM with {SlowClients} slow clients.\n{api.Log}");
            Assert.True(api.ExitCode == 0, $"Exit code {api.ExitCode} after {exitedAfter}\n{api.Log}");
            Assert.True(exitedAfter >= TimeSpan.FromSeconds(DrainSeconds), $"Exited after {exitedAfter}, within the drain.");
            var closed = Assert.Single(api.LogEntries("HttpServer.ServiceDefaults.Lifecycle.IdleConnectionCloser"));
            var count = int.Parse(Regex.Match(closed.GetProperty("Message").GetString()!, "^Closed ([0-9]+) ").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(count, SlowClients, SlowClients + 5); // the slow clients, and the test's idle keep-alive ones
        }
        finally
        {
            slowClients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>A client that sends part of a request's headers and then nothing: Kestrel counts it as a request in progress.</summary>
    private static async Task<TcpClient> OpenSlowHeaderConnectionAsync(ApiProcess api)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, api.BaseAddress.Port);
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        return tcp;
    }
}
