using System.Net;
using HttpServer.Conformance.Tests.Kubelet;

namespace HttpServer.Conformance.Tests;

/// <summary>The image under podman, probed as the manifests say: on the management port, which an operator can take out of rotation.</summary>
[Collection(PodLifecycleSuite.Name)]
[Trait("Category", "Conformance")]
public sealed class ManagementPortTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task Probes_on_the_management_port_make_the_pod_ready_and_see_an_operator_take_it_out_of_rotation()
    {
        var template = fixture.Template;
        var probes = new[] { template.Container.StartupProbe, template.Container.ReadinessProbe, template.Container.LivenessProbe };
        Assert.All(probes, p => Assert.Equal("management", p.HttpGet.Port.Value));

        var (pod, _) = await KubeletEmulator.StartReadyAsync(template, new PodOptions { Revision = "mgmt" }, TimeSpan.FromSeconds(90));
        await using var lease = pod;
        Assert.Contains(pod.Probes.Records, r => r.Kind == ProbeKind.Readiness && r.Result.Success);
        using var management = new HttpClient { BaseAddress = pod.AddressOf("management"), Timeout = TimeSpan.FromSeconds(10) };
        using var http = new HttpClient { BaseAddress = pod.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/metrics")).StatusCode);

        var notReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pod.Probes.ReadinessChanged += (_, ready) =>
        {
            if (!ready)
            {
                notReady.TrySetResult();
            }
        };
        Assert.Equal(HttpStatusCode.OK, (await management.PostAsync("/readyz/disable", null)).StatusCode);
        // The readiness probe's period times its failure threshold, and a margin for the machine's load.
        await notReady.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(pod.Probes.Ready);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/version")).StatusCode); // still answering

        Assert.Equal(HttpStatusCode.OK, (await management.PostAsync("/readyz/enable", null)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!pod.Probes.Ready)
        {
            Assert.True(DateTime.UtcNow < deadline, "The readiness probe did not pass again within 60 s of /readyz/enable.");
            await Task.Delay(500);
        }
    }
}
