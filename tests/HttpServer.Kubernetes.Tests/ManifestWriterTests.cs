using HttpServer.AppHost.Kubernetes;

namespace HttpServer.Kubernetes.Tests;

/// <summary>The pure generator and the writer: same input, same bytes; hand-kept files survive; bad input writes nothing.</summary>
public sealed class ManifestWriterTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("manifest-writer-").FullName;

    private static ServiceDescription Service(string name, params (string Key, string Value)[] environment) => new(
        name, new ContainerImage("httpserver-api", "1.0.0"), [new ServicePort("http", 8080, 80)],
        environment.ToDictionary(e => e.Key, e => e.Value), [], IsExternal: false);

    [Fact]
    public void The_same_services_in_any_order_render_to_the_same_bytes()
    {
        var first = ManifestWriter.Render(ManifestGenerator.Generate(
            [Service("backend", ("B", "2"), ("A", "1")), Service("frontend", ("services__backend__http__0", "http://backend:80"))], ["production"]));
        var second = ManifestWriter.Render(ManifestGenerator.Generate(
            [Service("frontend", ("services__backend__http__0", "http://backend:80")), Service("backend", ("A", "1"), ("B", "2"))], ["production"]));

        Assert.Equal(first, second);
        Assert.Equal(["backend/deployment.yaml", "backend/kustomization.yaml", "backend/service.yaml",
            "frontend/deployment.yaml", "frontend/kustomization.yaml", "frontend/service.yaml", "kustomization.yaml"],
            first.Keys.Where(k => !k.StartsWith(ManifestGenerator.PerServiceComponent + "/", StringComparison.Ordinal)));
        Assert.Contains("  - A=1\n  - B=2\n", first["backend/kustomization.yaml"], StringComparison.Ordinal);
        Assert.All(first.Values, text => Assert.DoesNotContain("\r", text, StringComparison.Ordinal));
    }

    [Fact]
    public void Regeneration_keeps_hand_kept_files_and_drops_folders_of_removed_resources()
    {
        var handKept = Path.Combine(_output, "production", "kustomization.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(handKept)!);
        File.WriteAllText(handKept, "kind: Component\n");
        ManifestWriter.Write(_output, ManifestGenerator.Generate([Service("backend"), Service("old")], ["production"]));
        Assert.True(File.Exists(Path.Combine(_output, "old", "deployment.yaml")));

        ManifestWriter.Write(_output, ManifestGenerator.Generate([Service("backend")], ["production"]));

        Assert.False(Directory.Exists(Path.Combine(_output, "old")));
        Assert.True(File.Exists(Path.Combine(_output, "backend", "deployment.yaml")));
        Assert.Equal("kind: Component\n", File.ReadAllText(handKept));
        Assert.Equal(["backend", "per-service", "production"], Directory.EnumerateDirectories(_output).Select(Path.GetFileName).Order());
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(_output, "per-service")), f => f.Contains("old-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("backend", "", "1.0.0", "has no container image settings")]
    [InlineData("backend", "httpserver-api", "", "has no container image settings")]
    [InlineData("Not_A_Name", "httpserver-api", "1.0.0", "must be a DNS label")]
    public void Bad_input_is_refused_with_a_clear_error_before_anything_is_written(string name, string repository, string tag, string message)
    {
        var service = new ServiceDescription(name, new ContainerImage(repository, tag), [], new Dictionary<string, string>(), [], IsExternal: false);

        var error = Assert.Throws<ManifestGenerationException>(() => ManifestWriter.Write(_output, ManifestGenerator.Generate([service], [])));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_output));
    }

    [Theory]
    [InlineData("production")]
    [InlineData("per-service")]
    public void A_resource_named_like_a_component_folder_is_refused(string name)
    {
        var error = Assert.Throws<ManifestGenerationException>(() => ManifestGenerator.Generate([Service(name)], ["production"]));
        Assert.Contains($"component folder '{name}'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
