using System.Text.Json;
using HttpServer.Testing;
using k8s;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Deploy;

/// <summary>
/// Deploy delivers the image: the SDK builds it and pushes it to a real registry (on loopback), and the manifests that
/// would be applied (rendered by the real kubectl from what deploy applies) name exactly that image by its digest.
/// </summary>
public sealed class ImageDeliveryTests(LoopbackRegistry registry) : IClassFixture<LoopbackRegistry>, IDisposable
{
    private const string SourceUrl = "https://git.example.org/acme/httpserver";
    private readonly RecordedDeploy _deploy = new();

    [Fact]
    public async Task After_deploy_the_registry_holds_the_image_and_every_applied_pod_runs_it_by_that_digest_with_its_labels_and_SBOM()
    {
        var result = await _deploy.RunAsync("ready", new Dictionary<string, string> { ["RepositoryUrl"] = SourceUrl + ".git" },
            $"--Kubernetes:Registry={registry.Host}/acme", $"--Kubernetes:BaseImage={registry.Host}/base:latest", "--Kubernetes:CertManagerClusterIssuer=letsencrypt");

        Assert.True(result.ExitCode == 0, result.ToString());
        var digest = await registry.DigestAsync("acme/httpserver-api", "1.0.0");
        var images = KubernetesYaml.LoadAllFromString(_deploy.Applied).OfType<V1Deployment>()
            .SelectMany(d => d.Spec.Template.Spec.Containers).Select(c => c.Image).ToList();
        Assert.Equal(2, images.Count);
        Assert.All(images, image => Assert.Equal($"{registry.Host}/acme/httpserver-api@{digest}", image));

        var labels = await registry.LabelsAsync("acme/httpserver-api", digest);
        Assert.Equal(SourceUrl, labels["org.opencontainers.image.source"]);
        var head = (await ProcessRunner.RunAsync("git", ["rev-parse", "HEAD"], TimeSpan.FromSeconds(30))).EnsureSuccess("git rev-parse").StandardOutput.Trim();
        Assert.Equal(head, labels["org.opencontainers.image.revision"]);
        Assert.Equal("1.0.0", labels["org.opencontainers.image.version"]);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(labels["org.opencontainers.image.created"], null) < TimeSpan.FromHours(1));

        var sbom = System.Text.RegularExpressions.Regex.Match(result.StandardOutput, @"SBOM (\S+\.cdx\.json)").Groups[1].Value;
        Assert.Contains($"image {registry.Host}/acme/httpserver-api@{digest}", result.StandardOutput, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(sbom));
        Assert.Equal("CycloneDX", document.RootElement.GetProperty("bomFormat").GetString());
        Assert.Equal("HttpServer.Api", document.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("name").GetString());
        Assert.Contains(document.RootElement.GetProperty("components").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "OpenTelemetry.Exporter.Prometheus.AspNetCore");
    }

    [Theory]
    [InlineData("kustomize")]
    [InlineData("helm")]
    public async Task With_a_canary_on_the_stable_pods_run_the_pushed_digest_and_the_canary_its_own_tag_from_the_same_registry(string tool)
    {
        var result = await _deploy.RunAsync("ready", $"--Kubernetes:Deploy:Tool={tool}", $"--Kubernetes:Registry={registry.Host}/acme",
            $"--Kubernetes:BaseImage={registry.Host}/base:latest", "--Kubernetes:CertManagerClusterIssuer=letsencrypt",
            "--Kubernetes:Canaries:backend:Version=1.1.0", "--Kubernetes:Observability:Otlp=true");

        Assert.True(result.ExitCode == 0, result.ToString());
        var digest = await registry.DigestAsync("acme/httpserver-api", "1.0.0");
        var containers = RenderedManifests.Parse(_deploy.Applied).Deployments.ToDictionary(d => d.Metadata.Name, d => d.Spec.Template.Spec.Containers.Single());
        Assert.Equal($"{registry.Host}/acme/httpserver-api@{digest}", containers["backend"].Image);
        Assert.Equal($"{registry.Host}/acme/httpserver-api@{digest}", containers["frontend"].Image);
        // The canary is another commit's build: the pushed digest is not its image, whatever its VERSION says.
        Assert.Equal($"{registry.Host}/acme/httpserver-api:1.1.0", containers["backend-canary"].Image);
        Assert.Equal("1.1.0", containers["backend-canary"].Env.Single(e => e.Name == "VERSION").Value);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspire-dashboard:", containers["aspire-dashboard"].Image, StringComparison.Ordinal);
        Assert.Contains($"backend-canary runs {registry.Host}/acme/httpserver-api:1.1.0, which this deploy did not build", result.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => _deploy.Dispose();
}
