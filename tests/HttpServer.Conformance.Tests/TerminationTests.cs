using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Conformance.Tests.Load;
using HttpServer.Conformance.Tests.Manifests;
using HttpServer.Conformance.Tests.Scenarios;

namespace HttpServer.Conformance.Tests;

/// <summary>The real image, run and deleted as the rendered Deployment tells the kubelet, under load.</summary>
[Collection(PodLifecycleSuite.Name)]
[Trait("Category", "Conformance")]
public sealed class TerminationTests(ConformanceFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Pod_deleted_under_load_loses_no_request_and_exits_zero_within_the_grace_period()
    {
        foreach (var template in fixture.Templates)
        {
            await TerminateUnderLoadAsync(template);
        }
    }

    [Fact]
    public async Task NativeAot_pod_deleted_under_load_loses_no_request_and_exits_zero_within_the_grace_period()
    {
        await TerminateUnderLoadAsync(fixture.Template, new PodOptions { Image = fixture.AotImage, Revision = "aot" });
    }

    private async Task TerminateUnderLoadAsync(PodTemplate template, PodOptions? options = null)
    {
        options ??= PodOptions.Default;
        var variant = options.Image is null ? template.Name : $"{template.Name}, NativeAOT image";
        output.WriteLine($"Deployment {variant}:");
        var run = await TerminationScenario.RunAsync(template, options);
        var termination = run.Termination;
        var signalled = run.Log.First("Shutdown requested");
        var drained = run.Log.First("Drain finished");
        output.WriteLine(ConformanceSummary.Add(TerminationScenario.Row($"graceful termination ({variant})", "0 failed, exit 0", run,
            $"SIGTERM after {(termination.SignalAt - termination.DeletedAt).TotalSeconds:0.0} s, exit {termination.SignalToExit.TotalSeconds:0.0} s later")));
        output.WriteLine(run.Verdict.Describe());

        Assert.True(run.Log.HasInOrder("Shutdown requested", "Drain finished", "Shutdown complete"), run.RawLog);
        Assert.Equal(0, termination.ExitCode);
        Assert.True(termination.TimeToExit < TimeSpan.FromSeconds(termination.GracePeriodSeconds),
            $"exited {termination.TimeToExit} after deletion; grace period {termination.GracePeriodSeconds} s");

        // Readiness: 200 until the signal, 503 from the moment the app got it (until it stops listening).
        Assert.NotNull(signalled);
        Assert.InRange(signalled.Timestamp, termination.SignalAt.AddSeconds(-0.5), termination.SignalAt.AddSeconds(5));
        Assert.All(run.ReadinessWatch.Where(r => r.CompletedAt < termination.SignalAt), r => Assert.Equal(200, r.StatusCode));
        Assert.All(run.ReadinessWatch.Where(r => r.SentAt > signalled.Timestamp),
            r => Assert.True(r.StatusCode == 503 || r.Outcome == Outcome.Refused, $"/readyz sent {r.SentAt:HH:mm:ss.fff}: {r.StatusCode} {r.Error}"));
        Assert.Contains(run.ReadinessWatch, r => r.StatusCode == 503);

        // Every request succeeded, those under way at the signal and when the server stopped accepting included;
        // only connections refused once the endpoint was gone from the Service are set apart.
        Assert.Equal(0, run.Verdict.FailedBeforeUnready);
        Assert.Equal(0, run.Verdict.Failed);
        Assert.NotEmpty(run.InFlightAt(termination.SignalAt));
        Assert.NotNull(drained);
        Assert.NotEmpty(run.InFlightAt(drained.Timestamp));
        Assert.All(run.InFlightAt(drained.Timestamp), r => Assert.Equal(Outcome.Succeeded, r.Outcome));
        Assert.True(run.Verdict.EndpointRemoved > 0, "the load went on until the container exited, so some connections were refused");
        Assert.DoesNotContain(run.Probes, p => p.Kind == ProbeKind.Liveness && !p.Result.Success && p.At < termination.DeletedAt);
    }
}
