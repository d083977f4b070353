using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The documented command, run for real: it must reproduce the committed generated files byte for byte,
/// and fail with a clear error and a non-zero exit, writing nothing, when it cannot generate.
/// </summary>
public sealed class GenerationTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"aspirate-output-{Guid.NewGuid():N}");

    [Fact]
    public async Task Regenerating_from_the_AppHost_reproduces_the_committed_output_byte_for_byte()
    {
        var result = await GenerateAsync(_output);
        Assert.True(result.ExitCode == 0, result.ToString());

        var generated = Files(_output);
        var committed = Files(RepositoryPaths.AspirateOutput).Where(f => IsGenerated(Path.Combine(RepositoryPaths.AspirateOutput, f))).ToList();
        Assert.Equal(committed, generated);
        foreach (var file in generated)
        {
            var expected = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.AspirateOutput, file));
            var actual = await File.ReadAllBytesAsync(Path.Combine(_output, file));
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"aspirate-output/{file} differs from what the AppHost generates: regenerate it (README) and commit.");
        }
    }

    [Fact]
    public async Task Generation_fails_with_a_clear_error_and_writes_nothing_when_a_hand_kept_folder_is_in_the_way()
    {
        var handKept = Path.Combine(_output, "backend", "notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(handKept)!);
        await File.WriteAllTextAsync(handKept, "mine");

        var result = await GenerateAsync(_output);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("exists and was not generated", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["backend/notes.txt"], Files(_output));
        Assert.Empty(Directory.EnumerateDirectories(_output, ".*"));
    }

    [Fact]
    public async Task The_Ingress_host_and_class_come_from_the_AppHosts_configuration()
    {
        var result = await GenerateAsync(_output, "--Kubernetes:IngressHost=app.example.org", "--Kubernetes:IngressClass=traefik");
        Assert.True(result.ExitCode == 0, result.ToString());

        var ingress = await File.ReadAllTextAsync(Path.Combine(_output, "per-service", "frontend-ingress.yaml"));
        Assert.Contains("host: app.example.org", ingress, StringComparison.Ordinal);
        Assert.Contains("ingressClassName: traefik", ingress, StringComparison.Ordinal);
        Assert.DoesNotContain("httpserver.example.com", ingress, StringComparison.Ordinal);
    }

    /// <summary>The command the README documents, with <c>--no-build</c>: this test project already built the AppHost.</summary>
    private static Task<ProcessResult> GenerateAsync(string output, params string[] settings) => ProcessRunner.RunAsync("dotnet",
        ["run", "--project", Path.Combine(RepositoryPaths.Root, "HttpServer.AppHost"), "--no-build", "-c", RepositoryPaths.Configuration, "--",
            "--operation", "publish", "--step", "kubernetes-manifests", "--environment", "Production", "--output-path", output, .. settings],
        TimeSpan.FromMinutes(3));

    private static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>A file with the header, or any file of the chart, which is generated whole (its copied JSON has no comments).</summary>
    private static bool IsGenerated(string file) => File.ReadLines(file).FirstOrDefault() == ManifestWriter.GeneratedHeader
        || Path.GetRelativePath(RepositoryPaths.AspirateOutput, file).StartsWith(HelmChartGenerator.Folder + "/", StringComparison.Ordinal);

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
