using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HttpServer.Testing;

namespace HttpServer.Api.Tests.ProcessLevel;

[Collection(RealProcesses.Name)]
public sealed class GracefulShutdownTests
{
    public const string ShutdownCategory = "HttpServer.ServiceDefaults.Lifecycle.GracefulShutdownService";
    private const double DrainSeconds = 2;
    private const double ShutdownTimeoutSeconds = 10;
    // The in-flight request outlives the drain by 2 s: it must be finished by Kestrel's stop, not within the drain.
    private const double InFlightSeconds = DrainSeconds + 2;

    [Fact]
    public async Task Sigterm_turns_readiness_off_finishes_the_in_flight_request_after_the_drain_and_exits_zero_in_time()
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string?>
        {
            ["Lifecycle__DrainDelaySeconds"] = DrainSeconds.ToString(CultureInfo.InvariantCulture),
            ["Lifecycle__ShutdownTimeoutSeconds"] = ShutdownTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        });
        await api.WaitForReadyAsync();
        using var inFlightClient = new HttpClient { BaseAddress = api.BaseAddress };
        var inFlight = inFlightClient.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/delay/{InFlightSeconds}"));
        await Task.Delay(300); // under way before the signal

        var signalled = Stopwatch.StartNew();
        api.Signal("TERM");
        var readinessOffAfter = await WaitForReadinessOffAsync(api);
        using var liveDuringDrain = await api.Client.GetAsync("/healthz");
        using var rootDuringDrain = await api.Client.GetAsync("/");
        using var completed = await inFlight;
        var completedAt = DateTime.UtcNow;
        var exited = await api.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + ShutdownTimeoutSeconds + 5));

        Assert.True(readinessOffAfter < TimeSpan.FromSeconds(DrainSeconds), $"Readiness turned off only after {readinessOffAfter}.");
        Assert.Equal(HttpStatusCode.OK, liveDuringDrain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rootDuringDrain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.True(exited, "The Api did not exit within drain + shutdown timeout + 5 s.");
        Assert.Equal(0, api.ExitCode);
        Assert.InRange(signalled.Elapsed.TotalSeconds, DrainSeconds, DrainSeconds + ShutdownTimeoutSeconds + 5);
        var drainFinished = await api.WaitForLogEntryAsync(ShutdownCategory, e => Message(e).StartsWith("Drain finished", StringComparison.Ordinal));
        Assert.True(completedAt > Timestamp(drainFinished), $"The request ended at {completedAt:HH:mm:ss.fff}, before the drain did.\n{api.Log}");
        Assert.Collection(api.LogEntries(ShutdownCategory).Select(Message),
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
        // The first signal has been handled once its line is out: the second is then a second one, not a race with it.
        await api.WaitForLogEntryAsync(ShutdownCategory, e => Message(e).StartsWith("Shutdown requested", StringComparison.Ordinal));
        Assert.False(api.HasExited);
        api.Signal("TERM");
        var exited = await api.WaitForExitAsync(TimeSpan.FromSeconds(5));

        Assert.True(exited, "The second SIGTERM did not end the process within 5 s of a 30 s drain.");
        Assert.NotEqual(0, api.ExitCode);
        await api.WaitForLogEntryAsync(ShutdownCategory, e => Message(e).StartsWith("Second SIGTERM during shutdown", StringComparison.Ordinal));
    }

    private static string Message(JsonElement entry) => entry.GetProperty("Message").GetString()!;

    /// <summary>When the app logged the line (its JSON console formatter writes UTC with milliseconds).</summary>
    public static DateTime Timestamp(JsonElement entry) =>
        DateTime.Parse(entry.GetProperty("Timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}

[CollectionDefinition(Name)]
public sealed class RealProcesses
{
    public const string Name = "Real Api processes";
}
