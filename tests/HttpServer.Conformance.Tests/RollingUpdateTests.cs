using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Conformance.Tests.Scenarios;

namespace HttpServer.Conformance.Tests;

/// <summary>A rollout of the rendered Deployment with its RollingUpdate strategy, two replicas behind nginx, under load.</summary>
[Collection(PodLifecycleSuite.Name)]
[Trait("Category", "Conformance")]
public sealed class RollingUpdateTests(ConformanceFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Rolling_update_behind_a_load_balancer_loses_no_request()
    {
        var template = fixture.Template;
        var strategy = template.Deployment.Spec.Strategy;
        Assert.Equal("RollingUpdate", strategy?.Type ?? "RollingUpdate");
        var maxSurge = RollingUpdateScenario.Resolve(strategy?.RollingUpdate?.MaxSurge?.Value ?? "25%", roundUp: true);
        Assert.Equal(0, RollingUpdateScenario.Resolve(strategy?.RollingUpdate?.MaxUnavailable?.Value ?? "25%", roundUp: false));
        Assert.True(maxSurge >= 1, "maxUnavailable 0 needs a surge of at least one pod");

        var run = await RollingUpdateScenario.RunAsync(template, maxSurge, PodOptions.Default);
        output.WriteLine(ConformanceSummary.Add(Row($"rolling update ({template.Name}, maxSurge {maxSurge}, maxUnavailable 0)", "0 failed", run)));
        output.WriteLine(RollingUpdateScenario.Describe(run));

        Assert.Empty(run.Failures);
        Assert.All(run.Terminations, t => Assert.Equal(0, t.ExitCode));
        Assert.Equal(run.OldVersion, run.Versions[0]);
        Assert.Equal(run.NewVersion, run.Versions[^1]);
    }

    public static SummaryRow Row(string scenario, string expected, RolloutRun run) => new(
        scenario, expected, run.Requests.Count, run.Failures.Count, 0, run.Terminations.Max(t => t.ExitCode),
        run.TimesToReady.Max(), run.Terminations.Max(t => t.TimeToExit),
        $"{RollingUpdateScenario.Replicas} replicas behind nginx, VERSION {run.Versions[0]} -> {run.Versions[^1]}, {run.Reloads} reloads");
}
