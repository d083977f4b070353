using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Conformance.Tests.Scenarios;

namespace HttpServer.Conformance.Tests;

/// <summary>
/// Controls that must fail the checks the other tests pass, proving the suite can see failure: the same
/// image, the same kubelet and the same load, with one lesson of graceful shutdown left out.
/// </summary>
[Collection(PodLifecycleSuite.Name)]
[Trait("Category", "Conformance")]
public sealed class NegativeControlTests(ConformanceFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Shell_wrapped_app_never_sees_sigterm_and_is_killed_with_137_at_the_grace_period()
    {
        var image = (await Podman.InspectImageAsync(fixture.Image)).GetProperty("Config");
        var app = string.Join(' ', image.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        // A shell as PID 1 ignores SIGTERM and does not pass it on; `; true` keeps it from exec-ing the app.
        var options = new PodOptions { Entrypoint = ["/bin/sh", "-c", $"{app}; true"], Revision = "shell" };

        var run = await TerminationScenario.RunAsync(fixture.Template, options);
        var termination = run.Termination;
        output.WriteLine(ConformanceSummary.Add(TerminationScenario.Row("control: `sh -c 'app; true'`", "exit 137 at the grace period", run,
            $"SIGKILL {termination.SignalToExit.TotalSeconds:0.0} s after SIGTERM, no shutdown logged")));

        Assert.Equal(137, termination.ExitCode);
        Assert.True(termination.TimeToExit >= TimeSpan.FromSeconds(termination.GracePeriodSeconds - 1),
            $"killed {termination.TimeToExit} after deletion; grace period {termination.GracePeriodSeconds} s");
        Assert.Null(run.Log.First("Shutdown requested"));
    }

    [Fact]
    public async Task App_without_drain_or_prestop_loses_requests_under_the_same_load()
    {
        var options = new PodOptions
        {
            Configuration = new Dictionary<string, string> { ["Lifecycle__DrainDelaySeconds"] = "0" },
            WithoutPreStop = true,
            Revision = "nodrain",
        };

        var run = await TerminationScenario.RunAsync(fixture.Template, options);
        output.WriteLine(ConformanceSummary.Add(TerminationScenario.Row("control: no drain, no preStop", "failed > 0", run,
            $"refused {FirstRefusal(run)} after deletion, while the Service still routed to it")));
        output.WriteLine(run.Verdict.Describe());

        // It still exits cleanly: the loss comes from stopping before the endpoint was gone, not from a crash.
        Assert.Equal(0, run.Termination.ExitCode);
        Assert.True(run.Verdict.Failed > 0, "without drain and preStop, connections are refused while the Service still sends them");
    }

    /// <summary>The control of "in-flight requests survive": with no time for them after the drain, the slow ones are cut off.</summary>
    [Fact]
    public async Task App_without_a_shutdown_timeout_loses_the_delay_requests_in_flight_when_the_drain_ends()
    {
        var options = new PodOptions
        {
            Configuration = new Dictionary<string, string> { ["Lifecycle__ShutdownTimeoutSeconds"] = "0" },
            Revision = "notimeout",
        };

        var run = await TerminationScenario.RunAsync(fixture.Template, options);
        var drained = run.Log.First("Drain finished");
        var lost = drained is null ? [] : run.InFlightAt(drained.Timestamp).Where(r => r.Path.StartsWith("/delay/", StringComparison.Ordinal)).ToList();
        output.WriteLine(ConformanceSummary.Add(TerminationScenario.Row("control: ShutdownTimeoutSeconds=0", "/delay requests lost", run,
            $"{lost.Count(r => r.Outcome == Load.Outcome.Failed)} of {lost.Count} /delay requests in flight at the drain's end failed")));
        output.WriteLine(run.Verdict.Describe());

        Assert.NotNull(drained);
        Assert.NotEmpty(lost);
        Assert.All(lost, r => Assert.Equal(Load.Outcome.Failed, r.Outcome));
        Assert.True(run.Verdict.Failed > 0, "the requests cut off at the drain's end are failures");
    }

    private static string FirstRefusal(TerminationRun run) =>
        run.Requests.Where(r => r.Outcome == Load.Outcome.Refused).Select(r => r.SentAt).DefaultIfEmpty().Min() is { Ticks: > 0 } first
            ? $"{(first - run.Termination.DeletedAt).TotalSeconds:0.0} s"
            : "never";

    [Fact]
    public async Task Rolling_update_without_drain_or_prestop_fails_requests_through_the_balancer()
    {
        var options = new PodOptions
        {
            Configuration = new Dictionary<string, string> { ["Lifecycle__DrainDelaySeconds"] = "0" },
            WithoutPreStop = true,
        };

        var run = await RollingUpdateScenario.RunAsync(fixture.Template, maxSurge: 1, options);
        output.WriteLine(ConformanceSummary.Add(RollingUpdateTests.Row("control: rolling update, no drain, no preStop", "failed > 0", run)));
        output.WriteLine(RollingUpdateScenario.Describe(run));

        Assert.True(run.Failures.Count > 0, "nginx still sends to a pod that stopped listening before its endpoint was removed");
    }
}
