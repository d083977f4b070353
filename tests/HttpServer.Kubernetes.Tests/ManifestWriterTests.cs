using Aspire.Hosting;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Kubernetes.Tests.Infrastructure;

namespace HttpServer.Kubernetes.Tests;

/// <summary>The pure generator and the writer: same input, same bytes; the output folder is replaced whole; bad input writes nothing.</summary>
public sealed class ManifestWriterTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"manifest-writer-{Guid.NewGuid():N}");

    private static ServiceDescription Service(string name, params (string Key, string Value)[] environment) => new(
        name, new ContainerImage("httpserver-api", "1.0.0"), [new ServicePort("http", 8080, 80)],
        environment.ToDictionary(e => e.Key, e => e.Value), [], IsExternal: false);

    private static SortedDictionary<string, string> Render(params ServiceDescription[] services) =>
        ManifestWriter.Render(KubernetesManifestsStep.Generate(services, new ObservabilitySettings(), GeneratedOutput.Assets));

    [Fact]
    public void The_same_services_in_any_order_render_to_the_same_bytes()
    {
        var first = Render(Service("backend", ("B", "2"), ("A", "1")), Service("frontend", ("services__backend__http__0", "http://backend:80")));
        var second = Render(Service("frontend", ("services__backend__http__0", "http://backend:80")), Service("backend", ("A", "1"), ("B", "2")));

        Assert.Equal(first, second);
        Assert.Equal(["backend/deployment.yaml", "backend/kustomization.yaml", "backend/service.yaml",
            "frontend/deployment.yaml", "frontend/kustomization.yaml", "frontend/service.yaml", "kustomization.yaml"],
            first.Keys.Where(k => !k.StartsWith("production/", StringComparison.Ordinal) && !k.StartsWith("chart/", StringComparison.Ordinal)
                && !k.StartsWith("observability/", StringComparison.Ordinal) && !k.StartsWith("traffic/", StringComparison.Ordinal) && k != "README.md"));
        Assert.Contains("  - A=1\n  - B=2\n", first["backend/kustomization.yaml"], StringComparison.Ordinal);
        Assert.All(first.Values, text => Assert.DoesNotContain("\r", text, StringComparison.Ordinal));
    }

    [Fact]
    public void Regeneration_replaces_the_whole_output_so_the_files_of_removed_resources_go()
    {
        ManifestWriter.Write(_output, KubernetesManifestsStep.Generate([Service("backend"), Service("old")], new ObservabilitySettings(), GeneratedOutput.Assets));
        Assert.True(File.Exists(Path.Combine(_output, "old", "deployment.yaml")));

        ManifestWriter.Write(_output, KubernetesManifestsStep.Generate([Service("backend")], new ObservabilitySettings(), GeneratedOutput.Assets));

        Assert.False(Directory.Exists(Path.Combine(_output, "old")));
        Assert.True(File.Exists(Path.Combine(_output, "backend", "deployment.yaml")));
        Assert.Equal(["backend", "chart", "observability", "production", "traffic"], Directory.EnumerateDirectories(_output).Select(Path.GetFileName).Order());
        Assert.DoesNotContain(Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories), f => f.Contains("old", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("backend", "", "1.0.0", "has no container image settings")]
    [InlineData("backend", "httpserver-api", "", "has no container image settings")]
    [InlineData("Not_A_Name", "httpserver-api", "1.0.0", "must be a DNS label")]
    [InlineData("production", "httpserver-api", "1.0.0", "has the name of the output folder 'production'")]
    [InlineData("chart", "httpserver-api", "1.0.0", "has the name of the output folder 'chart'")]
    public void Bad_input_is_refused_with_a_clear_error_before_anything_is_written(string name, string repository, string tag, string message)
    {
        var service = new ServiceDescription(name, new ContainerImage(repository, tag), [], new Dictionary<string, string>(), [], IsExternal: false);

        var error = Assert.Throws<ManifestGenerationException>(() =>
            ManifestWriter.Write(_output, KubernetesManifestsStep.Generate([service], new ObservabilitySettings(), GeneratedOutput.Assets)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_output));
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
