using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

[Collection(RealProcesses.Name)]
public sealed class SlowClientShutdownTests
{
    private const int SlowClients = 20;
    private const double DrainSeconds = 1;
    private const double ShutdownTimeoutSeconds = 20;
    // The in-flight request outlives the drain by 2 s, so it is still under way when the server stops accepting.
    private const double InFlightSeconds = DrainSeconds + 2;
    // Far below the shutdown timeout, far above drain (1 s) + the in-flight request (3 s): a behaviour bound, not a benchmark.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Shutdown_closes_slow_header_connections_after_the_drain_and_still_finishes_the_in_flight_request()
    {
        var run = await ShutDownUnderSlowClientsAsync(ShutdownTimeoutSeconds);

        using var completed = Assert.IsType<HttpResponseMessage>(run.InFlight.Result);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.True(run.InFlight.At > run.DrainFinishedAt, $"The request ended at {run.InFlight.At:HH:mm:ss.fff}, before the drain did.\n{run.Log}");
        Assert.True(run.Exited, $"The Api still ran {ExitBound.TotalSeconds} s after SIGTERM with {SlowClients} slow clients.\n{run.Log}");
        Assert.True(run.ExitCode == 0, $"Exit code {run.ExitCode} after {run.ExitedAfter}\n{run.Log}");
        Assert.True(run.ExitedAfter >= TimeSpan.FromSeconds(DrainSeconds), $"Exited after {run.ExitedAfter}, within the drain.");
        var closed = Assert.Single(run.Closers);
        var count = int.Parse(Regex.Match(closed.GetProperty("Message").GetString()!, "^Closed ([0-9]+) ").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(count, SlowClients, SlowClients + 5); // the slow clients, and the test's idle keep-alive ones
    }

    /// <summary>The control: with no time for in-flight requests, the same request is cut off when the drain ends.</summary>
    [Fact]
    public async Task Without_a_shutdown_timeout_the_in_flight_request_is_lost()
    {
        var run = await ShutDownUnderSlowClientsAsync(shutdownTimeoutSeconds: 0);

        Assert.IsType<HttpRequestException>(run.InFlight.Result);
        Assert.True(run.InFlight.At > run.DrainFinishedAt, $"The request was lost at {run.InFlight.At:HH:mm:ss.fff}, before the drain ended.\n{run.Log}");
        Assert.True(run.Exited, $"The Api still ran {ExitBound.TotalSeconds} s after SIGTERM.\n{run.Log}");
    }

    private sealed record ShutdownRun(
        (object Result, DateTime At) InFlight, DateTime DrainFinishedAt, bool Exited, int ExitCode, TimeSpan ExitedAfter,
        IReadOnlyList<JsonElement> Closers, string Log);

    /// <summary>Slow-header clients and one request under way, then SIGTERM; what became of the request and of the process.</summary>
    private static async Task<ShutdownRun> ShutDownUnderSlowClientsAsync(double shutdownTimeoutSeconds)
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?>
        {
            ["Lifecycle__DrainDelaySeconds"] = DrainSeconds.ToString(CultureInfo.InvariantCulture),
            ["Lifecycle__ShutdownTimeoutSeconds"] = shutdownTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
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
            var inFlight = EndOfAsync(inFlightClient.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/delay/{InFlightSeconds}")));
            await Task.Delay(300); // under way before the signal

            var signalled = Stopwatch.StartNew();
            api.Signal("TERM");
            var ended = await inFlight;
            var exited = await api.WaitForExitAsync(ExitBound);
            var exitedAfter = signalled.Elapsed;
            var drainFinished = await api.WaitForLogEntryAsync(GracefulShutdownTests.ShutdownCategory,
                e => e.GetProperty("Message").GetString()!.StartsWith("Drain finished", StringComparison.Ordinal));
            return new ShutdownRun(ended, GracefulShutdownTests.Timestamp(drainFinished), exited, exited ? api.ExitCode : -1, exitedAfter,
                [.. api.LogEntries("HttpServer.ServiceDefaults.Lifecycle.IdleConnectionCloser")], api.Log);
        }
        finally
        {
            slowClients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The response or the exception the request ended with, and when.</summary>
    private static async Task<(object Result, DateTime At)> EndOfAsync(Task<HttpResponseMessage> request)
    {
        try
        {
            var response = await request;
            return (response, DateTime.UtcNow);
        }
        catch (HttpRequestException ex)
        {
            return (ex, DateTime.UtcNow);
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
