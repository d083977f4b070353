using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Observability;

/// <summary>
/// The wiring of observability/otlp, run: the real dashboard with the environment its rendered Deployment gives it,
/// frontend and backend as real processes with the OTLP environment their rendered Deployments give them (only the
/// endpoint points at the local dashboard instead of the in-cluster Service), and one /chain call read back as a trace.
/// </summary>
public sealed class OtlpTraceTests(OtlpRender render) : IClassFixture<OtlpRender>
{
    [Fact]
    public async Task A_chain_call_reaches_the_dashboard_as_one_trace_with_spans_of_both_services_and_their_pods()
    {
        var dashboardDeployment = render.Manifests.Deployments.Single(d => d.Metadata.Name == OtlpRender.Dashboard);
        var dashboardEnvironment = EnvironmentOf(dashboardDeployment, "dashboard-pod");
        Assert.Equal("http://+:18889", dashboardEnvironment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]);
        await using var dashboard = await DashboardProcess.StartAsync(dashboardEnvironment);

        await using var backend = StartApp("backend", dashboard, []);
        await using var frontend = StartApp("frontend", dashboard, new() { ["Downstream__BaseUrl"] = backend.BaseAddress.ToString() });
        await Task.WhenAll(backend.WaitForReadyAsync(), frontend.WaitForReadyAsync());

        using var response = await frontend.Client.GetAsync("/chain");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString();

        var resources = await WaitForTraceAsync(dashboard, traceId!, r => r.Select(x => x["service.name"]).Distinct().Count() == 2);
        Assert.Equal(["backend", "frontend"], resources.Select(r => r["service.name"]).Distinct().Order());
        Assert.All(resources, r => Assert.Equal($"{r["service.name"]}-pod", r["k8s.pod.name"]));
        Assert.All(resources, r => Assert.Equal("shop", r["k8s.namespace.name"]));
        Assert.All(resources, r => Assert.Equal("node-a", r["k8s.node.name"]));
    }

    [Fact]
    public async Task The_dashboard_as_deployed_asks_for_its_browser_token_and_answers_no_telemetry_without_a_key()
    {
        var deployment = render.Manifests.Deployments.Single(d => d.Metadata.Name == OtlpRender.Dashboard);
        await using var dashboard = await DashboardProcess.StartAsync(EnvironmentOf(deployment, "dashboard-pod"), apiKey: false);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = dashboard.Api.BaseAddress };

        using var page = await anonymous.GetAsync("/traces");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", new Uri(dashboard.Api.BaseAddress!, page.Headers.Location!).AbsolutePath);
        using var traces = await anonymous.GetAsync("/api/telemetry/traces");
        Assert.Equal(HttpStatusCode.Unauthorized, traces.StatusCode);
        // Where docs/observability.md sends the operator for the token: the dashboard's log.
        Assert.Contains("/login?t=", dashboard.Log, StringComparison.Ordinal);
    }

    private ApiProcess StartApp(string service, DashboardProcess dashboard, Dictionary<string, string?> extra)
    {
        var deployment = render.Manifests.Deployments.Single(d => d.Metadata.Name == service);
        var environment = EnvironmentOf(deployment, $"{service}-pod").Where(e => e.Key.StartsWith("OTEL_", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => (string?)e.Value);
        Assert.Equal("http://aspire-dashboard:18889", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.Otlp.ToString();
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }
        return ApiProcess.Start(environment);
    }

    /// <summary>The container's environment as the kubelet hands it over: its envFrom ConfigMaps, then its own env.</summary>
    private Dictionary<string, string> EnvironmentOf(V1Deployment deployment, string podName)
    {
        var container = deployment.Spec.Template.Spec.Containers.Single();
        var environment = (container.EnvFrom ?? []).SelectMany(s => render.Manifests.ConfigMap(s.ConfigMapRef.Name, null).Data)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        foreach (var (key, value) in ContainerEnvironment.Resolve(deployment, container, podName, "shop", "node-a"))
        {
            environment[key] = value;
        }
        return environment;
    }

    /// <summary>The resource attributes of each span batch of the trace, polled until complete (exports are batched).</summary>
    private static async Task<List<Dictionary<string, string>>> WaitForTraceAsync(DashboardProcess dashboard, string traceId,
        Func<List<Dictionary<string, string>>, bool> complete)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        List<Dictionary<string, string>> resources = [];
        while (DateTime.UtcNow < deadline)
        {
            using var response = await dashboard.Api.GetAsync($"/api/telemetry/traces/{traceId}");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{response.StatusCode}: {dashboard.Log}");
            if (response.IsSuccessStatusCode)
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                resources = [.. document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray()
                    .Select(r => r.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                        .ToDictionary(a => a.GetProperty("key").GetString()!, a => AnyValue(a.GetProperty("value"))))];
                if (complete(resources))
                {
                    return resources;
                }
            }
            await Task.Delay(500);
        }
        Assert.Fail($"Trace {traceId} did not reach the dashboard from both services; resources seen: {JsonSerializer.Serialize(resources)}\n{dashboard.Log}");
        return resources;
    }

    // An OTLP AnyValue: {"stringValue": "x"}, {"intValue": "3"}, ...; the text of whichever it holds.
    private static string AnyValue(JsonElement value) =>
        value.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()).FirstOrDefault() ?? "";
}
