using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using Microsoft.Extensions.Configuration;

namespace HttpServer.Kubernetes.Tests.Validation;

/// <summary>
/// Bad configuration of the AppHost's <c>Kubernetes</c> section gets a refusal naming the key as the user types it and
/// the value: never a silent acceptance, a crash, or a message without the key.
/// </summary>
public sealed class SettingsRefusalTests
{
    private static readonly string ApiProject = Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj");

    [Theory]
    [InlineData("Cpu=lots", "Kubernetes:Cpu (lots) must be a Kubernetes quantity")]
    [InlineData("Memory=lots", "Kubernetes:Memory (lots) must be a Kubernetes quantity")]
    [InlineData("RunAsUser=0", "Kubernetes:RunAsUser (0) must be a non-root uid")]
    [InlineData("RunAsUser=abc", "'abc' at 'Kubernetes:RunAsUser'")]
    [InlineData("TargetCpuUtilization=0", "Kubernetes:TargetCpuUtilization (0) must be at least 1")]
    [InlineData("IngressHost=Bad_Host", "Kubernetes:IngressHost (Bad_Host) must be a DNS name")]
    [InlineData("IngressClass=Nginx_Class", "Kubernetes:IngressClass (Nginx_Class) must be a DNS subdomain name")]
    [InlineData("TlsSecret=my secret", "Kubernetes:TlsSecret (my secret) must be a DNS subdomain name")]
    [InlineData("ImagePullSecret=Reg_Cred", "Kubernetes:ImagePullSecret (Reg_Cred) must be a DNS subdomain name")]
    [InlineData("MonitoringNamespace=Monitoring", "Kubernetes:MonitoringNamespace (Monitoring) must be a namespace name")]
    [InlineData("Gateway:ClassName=Istio_Class", "Kubernetes:Gateway:ClassName (Istio_Class) must be a DNS subdomain name")]
    [InlineData("Gateway:RequestTimeout=10", "Kubernetes:Gateway:RequestTimeout (10) must be a Gateway API duration with a unit")]
    [InlineData("StartupProbe:PeriodSeconds=0", "Kubernetes:StartupProbe:PeriodSeconds (0) must be at least 1")]
    [InlineData("ReadinessProbe:TimeoutSeconds=0", "Kubernetes:ReadinessProbe:TimeoutSeconds (0) must be at least 1")]
    [InlineData("LivenessProbe:FailureThreshold=0", "Kubernetes:LivenessProbe:FailureThreshold (0) must be at least 1")]
    [InlineData("ReadinessProbe:Path=readyz", "Kubernetes:ReadinessProbe:Path (readyz) must be an absolute path")]
    [InlineData("Mesh:TraceSamplingPercent=500", "Kubernetes:Mesh:TraceSamplingPercent (500) is a percentage, 0 to 100")]
    [InlineData("Lifecycle:PreStopSeconds=0", "Kubernetes:Lifecycle:PreStopSeconds (0) must be at least 1")]
    [InlineData("Mesh:Enabled=true", "Kubernetes:Mesh:Enabled (True) needs Kubernetes:Gateway:Enabled=true: the mesh's STRICT mTLS refuses")]
    [InlineData("Replica=3", "Kubernetes:Replica (3) is not a setting (a typo?)")]
    [InlineData("Canary:Version=1.1.0", "Kubernetes:Canary is not a setting: a canary is a service's, set under Kubernetes:Canaries:<service>")]
    [InlineData("Gateway:Enabeld=true", "Kubernetes:Gateway:Enabeld (true) is not a setting")]
    [InlineData("Deploy:Namepsace=shop", "Kubernetes:Deploy:Namepsace (shop) is not a setting")]
    public void A_bad_setting_is_refused_naming_its_key_and_value(string setting, string message)
    {
        var error = Assert.Throws<ManifestGenerationException>(() => Bind(setting));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IngressHost=*.example.com")]
    [InlineData("TargetCpuUtilization=150")]
    [InlineData("Gateway:RequestTimeout=1m30s")]
    [InlineData("Canaries:backend:Weight=50")]
    [InlineData("Deploy:Namespace=shop")]
    public void A_legal_edge_value_and_the_sections_bound_elsewhere_are_accepted(string setting) => Bind(setting);

    [Theory]
    [InlineData("IngressHost", "\"httpserver.example.com\" to \"shop.example.com\"")]
    [InlineData("Gateway:Enabled", "false to true")]
    [InlineData("Observability:Otlp", "false to true")]
    [InlineData("Registry", "\"\" to \"registry.example.com\"")]
    public async Task A_services_own_change_of_a_cluster_wide_key_is_refused_naming_the_resource_and_the_key(string key, string change)
    {
        Action<KubernetesSettings> own = key switch
        {
            "IngressHost" => k => k.IngressHost = "shop.example.com",
            "Gateway:Enabled" => k => k.Gateway.Enabled = true,
            "Observability:Otlp" => k => k.Observability.Otlp = true,
            _ => k => k.Registry = "registry.example.com",
        };
        var builder = PublishBuilder();
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").PublishAsKubernetesService(own);

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(() => ReadAsync(builder));

        Assert.StartsWith($"Resource 'backend': Kubernetes:{key} is cluster-wide", error.Message, StringComparison.Ordinal);
        Assert.Contains(change, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_external_services_are_refused_since_they_would_share_the_Ingress_host_and_path()
    {
        var builder = PublishBuilder();
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithExternalHttpEndpoints();
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithExternalHttpEndpoints();
        var services = await ReadAsync(builder);

        var error = Assert.Throws<ManifestGenerationException>(() => ObjectSet.Build(services, new ObservabilitySettings(), GeneratedOutput.Assets));

        Assert.StartsWith("Resources 'backend' and 'frontend' both have external endpoints (WithExternalHttpEndpoints)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Kubernetes:Canaries:frontend:Version=2.0.0", "Kubernetes:Canaries:frontend: resource 'frontend' declares no canary")]
    [InlineData("--Kubernetes:Canaries:backend:Wieght=50", "Kubernetes:Canaries:backend:Wieght (50) is not a setting")]
    public async Task A_canary_setting_for_a_resource_without_a_declared_canary_or_with_a_typo_is_refused(string setting, string message)
    {
        var builder = PublishBuilder(setting);
        builder.AddProject("backend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http").WithKubernetesCanary();
        builder.AddProject("frontend", ApiProject, launchProfileName: null).WithHttpEndpoint(name: "http");

        var error = await Assert.ThrowsAsync<ManifestGenerationException>(async () =>
            SettingsBinding.RefuseUndeclaredCanaries(builder.Configuration, await ReadAsync(builder)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_with_a_mistyped_key_stops_with_exit_code_1_and_names_the_key()
    {
        var output = Path.Combine(Path.GetTempPath(), $"refused-{Guid.NewGuid():N}");

        var result = await AspireCli.RunStepAsync("kubernetes-manifests", output, "--Kubernetes:Replica=3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Kubernetes:Replica (3) is not a setting", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Binds one <c>--Kubernetes:</c> setting as the manifests and deploy steps do, and validates it as each service's settings are.</summary>
    private static void Bind(string setting)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([$"--Kubernetes:{setting}"]).Build();
        SettingsBinding.Deploy(configuration);
        SettingsBinding.Kubernetes(configuration).Validate("backend");
    }

    private static IDistributedApplicationBuilder PublishBuilder(params string[] settings) =>
        DistributedApplication.CreateBuilder(["--operation", "publish", "--step", "kubernetes-manifests", .. settings]);

    private static Task<IReadOnlyList<ServiceDescription>> ReadAsync(IDistributedApplicationBuilder builder) =>
        AppModelReader.ReadAsync(new DistributedApplicationModel(builder.Resources), builder.ExecutionContext, CancellationToken.None,
            SettingsBinding.Kubernetes(builder.Configuration));
}
