using System.Diagnostics;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

[Collection(RealProcesses.Name)]
public sealed class GracefulShutdownTests
{
    private const double DrainSeconds = 2;
    private const double ShutdownTimeoutSeconds = 10;

    [Fact]
    public async Task Sigterm_turns_readiness_off_finishes_the_in_flight_request_and_exits_zero_in_time()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?>
        {
            ["Lifecycle__DrainDelaySeconds"] = DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lifecycle__ShutdownTimeoutSeconds"] = ShutdownTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await api.WaitForReadyAsync();
        using var inFlightClient = new HttpClient { BaseAddress = api.BaseAddress };
        var inFlight = inFlightClient.GetAsync("/delay/2");
        await Task.Delay(300);

        var signalled = Stopwatch.StartNew();
        api.Signal("TERM");
        var readinessOffAfter = await WaitForReadinessOffAsync(api);
        using var liveDuringDrain = await api.Client.GetAsync("/healthz");
        using var rootDuringDrain = await api.Client.GetAsync("/");
        using var completed = await inFlight;
        var exited = await api.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + ShutdownTimeoutSeconds + 5));

        Assert.True(readinessOffAfter < TimeSpan.FromSeconds(DrainSeconds), $"Readiness turned off only after {readinessOffAfter}.");
        Assert.Equal(HttpStatusCode.OK, liveDuringDrain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rootDuringDrain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.True(exited, "The Api did not exit within drain + shutdown timeout + 5 s.");
        Assert.Equal(0, api.ExitCode);
        Assert.InRange(signalled.Elapsed.TotalSeconds, DrainSeconds, DrainSeconds + ShutdownTimeoutSeconds + 5);
        var messages = api.LogEntries("HttpServer.ServiceDefaults.Lifecycle.GracefulShutdownService")
            .Select(e => e.GetProperty("Message").GetString()!).ToList();
        Assert.Collection(messages,
            m => Assert.StartsWith("Shutdown requested", m),
            m => Assert.StartsWith("Drain finished", m),
            m => Assert.StartsWith("Shutdown complete", m));
    }

    /// <summary>kill(1) returns before the signal is handled: poll /readyz until it answers 503.</summary>
    private static async Task<TimeSpan> WaitForReadinessOffAsync(ApiProcess api)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(DrainSeconds))
        {
            using var response = await api.Client.GetAsync("/readyz");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return stopwatch.Elapsed;
            }
            await Task.Delay(20);
        }
        return TimeSpan.MaxValue;
    }

    [Fact]
    public async Task A_second_sigterm_during_the_drain_ends_the_process_at_once()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?> { ["Lifecycle__DrainDelaySeconds"] = "30" });
        await api.WaitForReadyAsync();

        api.Signal("TERM");
        await Task.Delay(500);
        Assert.False(api.HasExited);
        api.Signal("TERM");
        var exited = await api.WaitForExitAsync(TimeSpan.FromSeconds(5));

        Assert.True(exited, "The second SIGTERM did not end the process within 5 s of a 30 s drain.");
        Assert.NotEqual(0, api.ExitCode);
    }
}

[CollectionDefinition(Name)]
public sealed class RealProcesses
{
    public const string Name = "Real Api processes";
}
