using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>The Aspire-model reader on small models of its own: what it maps, and the bad input it refuses.</summary>
public sealed class GeneratorInputTests : IDisposable
{
    private static readonly string ApiProject = Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj");
    private readonly string _scratch = Directory.CreateTempSubdirectory("generator-input-").FullName;

    [Fact]
    public async Task A_service_reference_becomes_the_in_cluster_Service_address()
    {
        var builder = PublishBuilder();
        var backend = builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithReference(backend);

        var services = await ReadAsync(builder);

        var frontend = services.Single(s => s.Name == "frontend");
        Assert.Equal("http://backend:80", frontend.Environment["services__backend__http__0"]);
        Assert.Equal(new ContainerImage("httpserver-api", "1.0.0"), frontend.Image);
        Assert.Equal(new ServicePort("http", 8080, 80), Assert.Single(frontend.Ports));
    }

    [Fact]
    public async Task A_resource_type_without_a_mapping_is_refused_by_name()
    {
        var builder = PublishBuilder();
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");
        builder.AddContainer("cache", "redis");

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.Contains("'cache' of type ContainerResource cannot be mapped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_without_container_image_settings_is_refused()
    {
        var project = Path.Combine(_scratch, "Plain.csproj");
        await File.WriteAllTextAsync(project, "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup /></Project>");
        var builder = PublishBuilder();
        builder.AddProject("plain", project, launchProfileName: null).WithHttpEndpoint(name: "http");

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.Contains("'plain' has no container image settings", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerRepository and ContainerImageTag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HTTP_endpoint_of_another_name_is_the_port_callers_the_Ingress_the_probes_and_the_scrapes_use()
    {
        var project = Path.Combine(_scratch, "Web.csproj");
        await File.WriteAllTextAsync(project,
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><ContainerRepository>web</ContainerRepository><ContainerImageTag>1.0.0</ContainerImageTag></PropertyGroup></Project>");
        var builder = PublishBuilder();
        builder.AddProject("web", project, launchProfileName: null).WithHttpEndpoint(name: "site").WithExternalHttpEndpoints();
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");

        var set = ObjectSet.Build(await ReadAsync(builder), new ObservabilitySettings { Metrics = true }, GeneratedOutput.Assets);

        var web = set.Services.Single(s => s.Service.Name == "web");
        Assert.Equal("site", web.DeploymentPatch.Spec.Template.Spec.Containers[0].ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal("site", web.Production.OfType<V1NetworkPolicy>().Single().Spec.Ingress[0].Ports[0].Port.Value);
        Assert.Equal("site", web.Production.OfType<V1Ingress>().Single().Spec.Rules[0].Http.Paths[0].Backend.Service.Port.Name);
        // One scrape endpoint per port name, each keeping its own services' pods only: the Api's /metrics is on management.
        var monitor = System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(set.Components.Single(c => c.Name == "metrics").Resources[0]))!;
        var endpoints = monitor["spec"]!["podMetricsEndpoints"]!.AsArray()
            .Select(e => ((string?)e!["port"], (string?)e["relabelings"]![0]!["regex"])).ToList();
        Assert.Equal([("management", "backend"), ("site", "web")], endpoints);
    }

    [Fact]
    public async Task A_secret_parameter_is_not_written_into_a_ConfigMap()
    {
        var builder = PublishBuilder();
        var password = builder.AddParameter("password", "s3cret", secret: true);
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithEnvironment("Password", password);

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.Contains("secret parameter 'password'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_services_own_settings_change_that_service_only_and_its_grace_period_follows_them()
    {
        var builder = PublishBuilder();
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http")
            .PublishAsKubernetesService(k => { k.MinReplicas = 5; k.Lifecycle.DrainDelaySeconds = 9; });
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");

        var rendered = await GeneratedOutput.RenderAsync(await ReadAsync(builder, new KubernetesSettings { MinReplicas = 3 }));

        var (backend, frontend) = (Pod(rendered, "backend"), Pod(rendered, "frontend"));
        Assert.Equal((5, "9", 5 + 9 + 20 + 10), backend);
        Assert.Equal((3, "5", 5 + 5 + 20 + 10), frontend);
    }

    [Fact]
    public async Task A_services_grace_period_that_cannot_hold_is_refused_with_its_name_and_the_key()
    {
        var builder = PublishBuilder();
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http")
            .PublishAsKubernetesService(k => k.Lifecycle.TerminationGracePeriodSeconds = 10);

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.StartsWith("Resource 'backend': Kubernetes:Lifecycle:TerminationGracePeriodSeconds (10) must be at least", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weight", "Kubernetes:Canary:Weight (150) is a percentage")]
    [InlineData("budget", "Kubernetes:Route:TimeoutSeconds (1.8) must hold (Attempts + 1) x PerTryTimeoutSeconds")]
    [InlineData("codes", "Kubernetes:Route:RetryCodes (503,often) must be 4xx/5xx")]
    public async Task A_canary_weight_or_retry_policy_that_cannot_hold_is_refused_by_its_key(string mistake, string message)
    {
        var builder = PublishBuilder();
        Action<KubernetesSettings> configure = mistake switch
        {
            "weight" => k => k.Canary.Weight = 150,
            "budget" => k => k.Route.Attempts = 5,
            _ => k => k.Route.RetryCodes = "503,often",
        };
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").PublishAsKubernetesService(configure);

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_of_a_service_that_no_one_calls_is_refused_by_name()
    {
        var builder = PublishBuilder();
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").PublishAsKubernetesService(k => k.Canary.Version = "2.0.0");

        var services = await ReadAsync(builder);

        var error = Assert.Throws<ManifestGenerationException>(() => ObjectSet.Build(services, new ObservabilitySettings(), GeneratedOutput.Assets));
        Assert.StartsWith("Resource 'backend': a canary is split by its callers' mesh route", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_route_slower_than_its_callers_own_per_call_timeout_is_refused()
    {
        var builder = PublishBuilder();
        var backend = builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http")
            .PublishAsKubernetesService(k => k.Canary.Version = "2.0.0");
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http")
            .WithReference(backend).WithEnvironment("Downstream__AttemptTimeoutSeconds", "1");

        var services = await ReadAsync(builder);

        var error = Assert.Throws<ManifestGenerationException>(() => ObjectSet.Build(services, new ObservabilitySettings(), GeneratedOutput.Assets));
        Assert.Contains("Kubernetes:Route:TimeoutSeconds (1.8) must be below its caller 'frontend''s Downstream__AttemptTimeoutSeconds (1)", error.Message, StringComparison.Ordinal);
    }

    private static (int? MinReplicas, string Drain, long? Grace) Pod(RenderedManifests rendered, string name)
    {
        var deployment = rendered.Deployments.Single(d => d.Metadata.Name == name);
        return (rendered.Objects.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Metadata.Name == name).Spec.MinReplicas, deployment.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "Lifecycle__DrainDelaySeconds").Value,
            deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }

    private static IDistributedApplicationBuilder PublishBuilder() =>
        DistributedApplication.CreateBuilder(["--operation", "publish", "--step", "kubernetes-manifests"]);

    private static Task<IReadOnlyList<ServiceDescription>> ReadAsync(IDistributedApplicationBuilder builder, KubernetesSettings? settings = null) =>
        AppModelReader.ReadAsync(new DistributedApplicationModel(builder.Resources), builder.ExecutionContext, CancellationToken.None, settings);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
