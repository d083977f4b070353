using System.Text.Json.Nodes;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Traffic;

/// <summary>The canary of the backend at 10 %: its Deployment, a Service per track (stable, canary), and the mesh route between them.</summary>
public sealed class CanaryRouteTests(TrafficRender render) : IClassFixture<TrafficRender>
{
    private const string Version = "app.kubernetes.io/version";
    private const string Track = "track";

    private RenderedManifests Manifests => render.Kustomize;

    private JsonNode MeshRoute => TrafficRender.Spec(Manifests.CustomResources("HTTPRoute").Single(r => r.Metadata.Name == "backend"));

    [Fact]
    public void The_mesh_route_hangs_on_the_backend_Service_and_its_weights_sum_to_100_with_10_for_the_canary()
    {
        var parent = MeshRoute["parentRefs"]![0]!;
        Assert.Equal("Service", (string?)parent["kind"]);
        Assert.Equal("backend", (string?)parent["name"]);
        var weights = MeshRoute["rules"]!.AsArray().SelectMany(r => r!["backendRefs"]!.AsArray()).ToDictionary(b => (string)b!["name"]!, b => (int)b!["weight"]!);
        Assert.Equal(100, weights.Values.Sum());
        Assert.Equal(10, weights["backend-canary"]);
    }

    [Fact]
    public void Each_backendRef_names_a_Service_that_selects_the_pods_of_exactly_one_track_by_the_track_label_not_the_version()
    {
        var services = Manifests.Objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        var versions = new List<string>();
        foreach (var reference in MeshRoute["rules"]![0]!["backendRefs"]!.AsArray())
        {
            var selector = services[(string)reference!["name"]!].Spec.Selector;
            Assert.DoesNotContain(Version, selector.Keys);
            var matched = Manifests.Deployments.Where(d => Selects(selector, d.Spec.Template.Metadata.Labels)).ToList();
            versions.Add(Assert.Single(matched).Spec.Template.Metadata.Labels[Version]);
        }
        Assert.Equal(["1.0.0", TrafficRender.CanaryVersion], versions.Order());
        var canary = Manifests.Deployments.Single(d => d.Metadata.Name == "backend-canary");
        Assert.Equal("canary", canary.Spec.Selector.MatchLabels[Track]);
        Assert.DoesNotContain(Version, canary.Spec.Selector.MatchLabels.Keys);
    }

    [Fact]
    public async Task A_new_canary_or_stable_release_changes_no_selector_and_the_stable_Service_selects_the_old_and_the_new_stable_pods()
    {
        var next = RenderedManifests.Parse(await HelmChartTests.TemplateChartAsync(render.Chart,
            "--set", "traffic.canary.backend.version=1.2.0-rc2", "--set", "image.tag=2.0.0"));
        Assert.Equal("1.2.0-rc2", Pods(next, "backend-canary")[Version]); // the release did change

        // Selectors are immutable on a Deployment: an apply that changes one fails.
        Assert.Equal(Selectors(render.Helm), Selectors(next));
        var stable = next.Objects.OfType<V1Service>().Single(s => s.Metadata.Name == "backend-stable").Spec.Selector;
        Assert.True(Selects(stable, Pods(render.Helm, "backend")), "the stable Service drops the old stable pods while the new ones start");
        Assert.True(Selects(stable, Pods(next, "backend")));
        Assert.False(Selects(stable, Pods(next, "backend-canary")));
    }

    private static IDictionary<string, string> Pods(RenderedManifests manifests, string deployment) =>
        manifests.Deployments.Single(d => d.Metadata.Name == deployment).Spec.Template.Metadata.Labels;

    private static bool Selects(IDictionary<string, string> selector, IDictionary<string, string> labels) =>
        selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static SortedDictionary<string, string> Selectors(RenderedManifests manifests) => new(
        manifests.Deployments.Select(d => (Name: $"deployment/{d.Metadata.Name}", Selector: d.Spec.Selector.MatchLabels))
            .Concat(manifests.Objects.OfType<V1Service>().Select(s => (Name: $"service/{s.Metadata.Name}", s.Spec.Selector)))
            .ToDictionary(s => s.Name, s => string.Join(",", s.Selector.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))),
        StringComparer.Ordinal);

    [Fact]
    public void The_canary_runs_its_own_image_tag_and_says_its_version_in_the_label_and_VERSION()
    {
        var canary = Manifests.Deployments.Single(d => d.Metadata.Name == "backend-canary");
        var container = canary.Spec.Template.Spec.Containers.Single();
        Assert.EndsWith($":{TrafficRender.CanaryVersion}", container.Image, StringComparison.Ordinal);
        Assert.Equal(TrafficRender.CanaryVersion, container.Env.Single(e => e.Name == "VERSION").Value);
        Assert.Equal(TrafficRender.CanaryVersion, canary.Spec.Template.Metadata.Labels[Version]);
        Assert.Equal("canary", canary.Spec.Template.Metadata.Labels[Track]);
        Assert.NotNull(container.ReadinessProbe);
        // Wired to the otlp component like the stable pods, in both renders.
        Assert.Contains(container.Env, e => e.Name == "OTEL_EXPORTER_OTLP_ENDPOINT");
        Assert.Contains(render.Helm.Deployments.Single(d => d.Metadata.Name == "backend-canary").Spec.Template.Spec.Containers.Single().Env, e => e.Name == "OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    [Fact]
    public void The_route_retries_gateway_errors_and_the_whole_retry_budget_fits_in_one_attempt_of_the_callers_HttpClient()
    {
        var rule = MeshRoute["rules"]![0]!;
        var request = TrafficRender.Seconds((string)rule["timeouts"]!["request"]!);
        var perTry = TrafficRender.Seconds((string)rule["timeouts"]!["backendRequest"]!);
        var attempts = (int)rule["retry"]!["attempts"]!;
        var backoff = TrafficRender.Seconds((string)rule["retry"]!["backoff"]!);
        Assert.True(attempts >= 1);
        Assert.Contains(503, rule["retry"]!["codes"]!.AsArray().Select(c => (int)c!));
        var budget = ((attempts + 1) * perTry) + (attempts * backoff);
        Assert.True(budget <= request, $"{attempts + 1} tries of {perTry} s with {backoff} s backoff take {budget} s, over the route's {request} s");
        var caller = TrafficRender.CallerAttemptTimeoutSeconds();
        Assert.True(request < caller, $"the route's {request} s is not inside the frontend's {caller} s per call");
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(0, 100)]
    public async Task One_Helm_value_promotes_or_rolls_back_the_canary(int canary, int stable)
    {
        var rendered = RenderedManifests.Parse(await HelmChartTests.TemplateChartAsync(render.Chart, "--set", $"traffic.canary.backend.weight={canary}"));
        var route = TrafficRender.Spec(rendered.CustomResources("HTTPRoute").Single(r => r.Metadata.Name == "backend"));
        var weights = route["rules"]![0]!["backendRefs"]!.AsArray().ToDictionary(b => (string)b!["name"]!, b => (int)b!["weight"]!);
        Assert.Equal(canary, weights["backend-canary"]);
        Assert.Equal(stable, weights["backend-stable"]);
    }

    [Fact]
    public async Task The_canarys_pods_take_the_services_pod_values_from_Helm_as_its_stable_pods_do()
    {
        var rendered = RenderedManifests.Parse(await HelmChartTests.TemplateChartAsync(render.Chart,
            "--set", "services.backend.resources.limits.cpu=1", "--set", "services.backend.resources.requests.cpu=1",
            "--set", "services.backend.lifecycle.terminationGracePeriodSeconds=60", "--set", "services.backend.lifecycle.shutdownTimeoutSeconds=40"));

        var pods = rendered.Deployments.Where(d => d.Metadata.Name is "backend" or "backend-canary").Select(d => d.Spec.Template).ToList();
        Assert.Equal(2, pods.Count);
        Assert.All(pods, pod =>
        {
            Assert.Equal(60, pod.Spec.TerminationGracePeriodSeconds);
            Assert.Equal("1", pod.Spec.Containers[0].Resources.Limits["cpu"].ToString());
            Assert.Contains(pod.Spec.Containers[0].Env, e => e.Name == "Lifecycle__ShutdownTimeoutSeconds" && e.Value == "40");
            Assert.True(pod.Metadata.Annotations.ContainsKey("checksum/config"), "an environment change would not roll these pods");
        });
    }

    [Fact]
    public async Task The_mesh_without_the_gateway_fails_the_Helm_render_as_the_AppHost_refuses_it()
    {
        var result = await ProcessRunner.RunAsync(HelmChartTests.Helm, ["template", "httpserver", render.Chart, "--set", "traffic.gateway.enabled=false"], TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("traffic.mesh.enabled needs traffic.gateway.enabled: the mesh's STRICT mTLS refuses", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weight_over_100_fails_the_Helm_render_naming_the_value()
    {
        var result = await ProcessRunner.RunAsync(HelmChartTests.Helm, ["template", "httpserver", render.Chart, "--set", "traffic.canary.backend.weight=101"], TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("traffic.canary.backend.weight must be 0 to 100", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Kustomize_and_Helm_render_the_same_objects_field_for_field_with_every_traffic_component_on()
    {
        Assert.Contains(render.Helm.Objects, o => o is CustomResource { Kind: "AuthorizationPolicy" });
        HelmChartTests.AssertSameObjects(render.Kustomize, render.Helm);
    }

    [Fact]
    public async Task Nothing_of_the_traffic_components_is_rendered_until_the_AppHosts_configuration_switches_them_on()
    {
        var plain = await RenderedManifests.RenderAsync(RepositoryPaths.AspirateOutput);
        foreach (var marker in new[] { "backend-canary", "backend-stable", "kind: HTTPRoute", "kind: Gateway", "istio.io" })
        {
            Assert.DoesNotContain(marker, plain.Yaml, StringComparison.Ordinal);
            Assert.Contains(marker, Manifests.Yaml, StringComparison.Ordinal);
        }
        Assert.Single(plain.Objects.OfType<V1Ingress>());
    }
}
