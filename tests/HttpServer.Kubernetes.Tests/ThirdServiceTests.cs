using Aspire.Hosting;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// A user adds a third service to the AppHost and regenerates: with no YAML written by hand it gets every
/// production setting, because they are written once for all services (production/) or generated from the model.
/// </summary>
public sealed class ThirdServiceTests : IAsyncLifetime
{
    private static readonly string ApiProject = Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj");
    private readonly string _output = Directory.CreateTempSubdirectory("third-service-").FullName;
    private RenderedManifests _rendered = null!;

    public async Task InitializeAsync()
    {
        var builder = DistributedApplication.CreateBuilder(["--operation", "publish", "--step", "kubernetes-manifests"]);
        var backend = builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithExternalHttpEndpoints().WithReference(backend);
        builder.AddProject("extra", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithReference(backend);
        var services = await AppModelReader.ReadAsync(new(builder.Resources), builder.ExecutionContext, CancellationToken.None);

        GeneratedOutput.Write(_output, services);
        _rendered = await RenderedManifests.RenderAsync(_output);
    }

    [Fact]
    public void The_new_service_carries_the_recommended_labels_its_OpenTelemetry_name_and_no_forwarded_headers_switch()
    {
        var (deployment, _) = Extra();
        var configuration = PodConfiguration.For(_rendered, deployment);

        Assert.Equal("extra", configuration["OTEL_SERVICE_NAME"]);
        Assert.DoesNotContain(configuration.Environment.Keys, k => k.Equals("ASPNETCORE_FORWARDEDHEADERS_ENABLED", StringComparison.OrdinalIgnoreCase));
        var own = _rendered.Objects.Cast<k8s.IKubernetesObject<V1ObjectMeta>>().Where(o => o.Metadata.Labels is { } labels && labels.TryGetValue("app.kubernetes.io/instance", out var instance) && instance == "extra").ToList();
        Assert.Equal(["ConfigMap", "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"], own.Select(o => o.Kind).Order());
        Assert.All(own, o => Assert.Equal(
            new Dictionary<string, string>
            {
                ["app.kubernetes.io/component"] = "extra",
                ["app.kubernetes.io/instance"] = "extra",
                ["app.kubernetes.io/managed-by"] = "kustomize",
                ["app.kubernetes.io/name"] = "httpserver-api",
                ["app.kubernetes.io/part-of"] = "httpserver",
                ["app.kubernetes.io/version"] = "1.0.0",
            },
            o.Metadata.Labels));
    }

    [Fact]
    public void The_new_service_gets_probes_a_preStop_sleep_and_the_grace_period()
    {
        var (deployment, container) = Extra();

        Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal(5, container.Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal(40, deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Null(deployment.Spec.Replicas); // the autoscaler's
    }

    [Fact]
    public async Task The_Helm_chart_renders_the_new_service_as_kustomize_does()
    {
        var helm = RenderedManifests.Parse(await HelmChartTests.TemplateChartAsync(Path.Combine(_output, HelmChartGenerator.Folder)));

        Assert.Contains(helm.Deployments, d => d.Metadata.Name == "extra");
        HelmChartTests.AssertSameObjects(_rendered, helm);
    }

    [Fact]
    public void The_new_service_is_in_the_Guaranteed_QoS_class() =>
        Assert.Equal("Guaranteed", QualityOfService.Classify(Extra().Deployment.Spec.Template.Spec));

    [Fact]
    public async Task The_new_service_passes_the_restricted_Pod_Security_checks()
    {
        var report = await ManifestValidationTests.ValidateAsync(_rendered.Yaml);

        Assert.True(report.SchemaErrors.Count == 0, string.Join('\n', report.SchemaErrors));
        Assert.True(report.PolicyErrors.Count == 0, string.Join('\n', report.PolicyErrors));
        Assert.Equal(1654, Extra().Container.SecurityContext.RunAsUser);
    }

    [Fact]
    public void The_new_service_has_a_disruption_budget_an_autoscaler_and_a_network_policy_that_select_it()
    {
        var pod = Extra().Deployment.Spec.Template.Metadata.Labels;

        Assert.Single(_rendered.Objects.OfType<V1PodDisruptionBudget>(), p => Selects(p.Spec.Selector, pod));
        Assert.Single(_rendered.Objects.OfType<V2HorizontalPodAutoscaler>(), h => h.Spec.ScaleTargetRef.Name == "extra");
        var policy = Assert.Single(_rendered.Objects.OfType<V1NetworkPolicy>(), p => Selects(p.Spec.PodSelector, pod));
        Assert.Contains(policy.Spec.Egress, rule => rule.To.Any(peer => peer.PodSelector?.MatchLabels["app.kubernetes.io/instance"] == "backend"));
        var backendPolicy = _rendered.Objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "backend");
        Assert.Contains(backendPolicy.Spec.Ingress, rule => rule.FromProperty?.Any(peer => peer.PodSelector?.MatchLabels["app.kubernetes.io/instance"] == "extra") == true);
        Assert.DoesNotContain(_rendered.Objects.OfType<V1Ingress>(), i => i.Metadata.Name == "extra"); // not external
    }

    [Fact]
    public void The_new_service_mounts_its_own_settings_ConfigMap()
    {
        var (deployment, container) = Extra();
        var mount = container.VolumeMounts.Single(m => m.MountPath == "/config");
        var volume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);

        Assert.Equal("extra-settings", volume.ConfigMap.Name);
        Assert.Equal("Information", _rendered.ConfigMap("extra-settings", null).Data["Logging__LogLevel__Default"]);
        Assert.Contains(container.Env, e => e.Name == "APP_CONFIG_DIR" && e.Value == "/config");
    }

    private (V1Deployment Deployment, V1Container Container) Extra()
    {
        var deployment = _rendered.Deployments.Single(d => d.Metadata.Name == "extra");
        return (deployment, deployment.Spec.Template.Spec.Containers.Single());
    }

    private static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        selector.MatchLabels is { Count: > 0 } wanted && wanted.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);

    public Task DisposeAsync()
    {
        Directory.Delete(_output, recursive: true);
        return Task.CompletedTask;
    }
}
