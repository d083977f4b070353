using System.Globalization;
using System.Net;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// Every probe of each rendered Deployment, sent as the kubelet sends it (the port the probe names, the probe's own
/// timeout) to the built Api started with that pod's environment alone: the app listens where the pod's HTTP_PORTS
/// says, so a probe naming another port gets no answer. Each path must answer 200 within the startup budget; after
/// SIGTERM readiness fails within the drain while the app keeps serving, then it exits 0 in time.
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
        var probes = new[] { ("startup", container.StartupProbe), ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) };
        // The kubelet sends to the pod IP; loopback is this machine's stand-in for it.
        var address = new Uri($"http://127.0.0.1:{ContainerPort(container, container.StartupProbe.HttpGet.Port)}");
        Assert.All(probes, p => Assert.Equal(address.Port, ContainerPort(container, p.Item2.HttpGet.Port)));
        Assert.False(pod.Environment.ContainsKey("ASPNETCORE_URLS"), "the pod would listen where ASPNETCORE_URLS says, not HTTP_PORTS");

        await using var api = pod.StartApi(address);
        var startBudget = TimeSpan.FromSeconds(container.StartupProbe.PeriodSeconds!.Value * container.StartupProbe.FailureThreshold!.Value);
        foreach (var (kind, probe) in probes)
        {
            var status = await PollAsync(api, probe, startBudget, HttpStatusCode.OK);
            Assert.True(status == HttpStatusCode.OK, $"{name} {kind} probe GET {address.Port}{probe.HttpGet.Path}: {status?.ToString() ?? "no answer"}\n{api.Log}");
        }

        // The settings come from the mounted ConfigMap's files (APP_CONFIG_DIR), as in the pod.
        using (var version = await api.Client.GetAsync("/version"))
        {
            Assert.Equal(pod["VERSION"], version.Headers.GetValues("VERSION").Single());
        }

        var drain = TimeSpan.FromSeconds(double.Parse(pod["Lifecycle__DrainDelaySeconds"]!, CultureInfo.InvariantCulture));
        var shutdown = double.Parse(pod["Lifecycle__ShutdownTimeoutSeconds"]!, CultureInfo.InvariantCulture);
        api.Signal("TERM");
        // Readiness must fail while the app still serves, that is within the drain.
        var readiness = await PollAsync(api, container.ReadinessProbe, drain, HttpStatusCode.ServiceUnavailable);
        Assert.True(readiness == HttpStatusCode.ServiceUnavailable, $"readiness after SIGTERM: {readiness?.ToString() ?? "no answer"}\n{api.Log}");
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(api, container.LivenessProbe)); // still serving while it drains

        Assert.True(await api.WaitForExitAsync(drain + TimeSpan.FromSeconds(shutdown + PodSpecTests.GraceMarginSeconds)), $"no exit\n{api.Log}");
        Assert.Equal(0, api.ExitCode);
    }

    private static int ContainerPort(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : container.Ports.Single(p => p.Name == port.Value).ContainerPort;

    /// <summary>One probe as the kubelet sends it: GET its path, given up after its timeoutSeconds (1 s when unset); null: no answer.</summary>
    private static async Task<HttpStatusCode?> ProbeAsync(ApiProcess api, V1Probe probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1));
        try
        {
            using var response = await api.Client.GetAsync(probe.HttpGet.Path, timeout.Token);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Probes until the wanted status, the process's exit or the end of <paramref name="budget"/>; the last status.</summary>
    private static async Task<HttpStatusCode?> PollAsync(ApiProcess api, V1Probe probe, TimeSpan budget, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + budget;
        HttpStatusCode? status;
        do
        {
            status = await ProbeAsync(api, probe);
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
