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

    public void Dispose() => _deploy.Dispose();
}
