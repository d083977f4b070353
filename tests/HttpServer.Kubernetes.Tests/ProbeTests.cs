using System.Globalization;
using System.Net;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// Every probe of each rendered Deployment, sent to the built Api started with that pod's configuration:
/// the probe's named port must be the port the app listens on, and each path must answer 200 within the
/// probe's budget; after SIGTERM readiness fails at once while the app keeps serving, then it exits 0 in time.
/// </summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed class ProbeTests(RenderedManifestsFixture rendered)
{
    [Theory]
    [InlineData("backend")]
    [InlineData("frontend")]
    public async Task Every_probe_answers_200_from_the_Api_and_readiness_turns_503_on_SIGTERM(string name)
    {
        var deployment = rendered.Manifests.Deployments.Single(d => d.Metadata.Name == name);
        var pod = PodConfiguration.For(rendered.Manifests, deployment);
        var container = pod.Container;
        var listenPort = int.Parse(pod.Environment.GetValueOrDefault("HTTP_PORTS") ?? pod.Environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS") ?? "8080",
            CultureInfo.InvariantCulture);

        await using var api = pod.StartApi();
        var startBudget = TimeSpan.FromSeconds(container.StartupProbe.PeriodSeconds!.Value * container.StartupProbe.FailureThreshold!.Value);
        foreach (var (kind, probe) in new[] { ("startup", container.StartupProbe), ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) })
        {
            Assert.Equal(listenPort, ContainerPort(container, probe.HttpGet.Port));
            var status = await PollAsync(api, probe.HttpGet.Path, startBudget);
            Assert.True(status == HttpStatusCode.OK, $"{name} {kind} probe GET {probe.HttpGet.Path}: {status}\n{api.Log}");
        }

        // The settings come from the mounted ConfigMap's files (APP_CONFIG_DIR), as in the pod.
        using (var version = await api.Client.GetAsync("/version"))
        {
            Assert.Equal(pod["VERSION"], version.Headers.GetValues("VERSION").Single());
        }

        api.Signal("TERM");
        var readiness = await PollAsync(api, container.ReadinessProbe.HttpGet.Path, TimeSpan.FromSeconds(2), HttpStatusCode.ServiceUnavailable);
        Assert.True(readiness == HttpStatusCode.ServiceUnavailable, $"readiness after SIGTERM: {readiness}\n{api.Log}");
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync(container.LivenessProbe.HttpGet.Path)); // still serving while it drains

        var drain = double.Parse(pod["Lifecycle__DrainDelaySeconds"]!, CultureInfo.InvariantCulture);
        var shutdown = double.Parse(pod["Lifecycle__ShutdownTimeoutSeconds"]!, CultureInfo.InvariantCulture);
        Assert.True(await api.WaitForExitAsync(TimeSpan.FromSeconds(drain + shutdown + PodSpecTests.GraceMarginSeconds)), $"no exit\n{api.Log}");
        Assert.Equal(0, api.ExitCode);
    }

    private static int ContainerPort(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : container.Ports.Single(p => p.Name == port.Value).ContainerPort;

    private static async Task<HttpStatusCode?> PollAsync(ApiProcess api, string path, TimeSpan budget, HttpStatusCode wanted = HttpStatusCode.OK)
    {
        var deadline = DateTime.UtcNow + budget;
        HttpStatusCode? status;
        do
        {
            status = await api.StatusAsync(path);
            if (status == wanted || api.HasExited)
            {
                return status;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }
}
