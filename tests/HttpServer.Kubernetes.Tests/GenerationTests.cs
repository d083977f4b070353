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
    public async Task Regenerating_from_the_AppHost_into_an_empty_folder_reproduces_the_committed_output_byte_for_byte()
    {
        var result = await GenerateAsync(_output);
        Assert.True(result.ExitCode == 0, result.ToString());

        // aspirate-output/ is output only: every file in it is generated, and nothing generated is missing from it.
        var generated = Files(_output);
        Assert.NotEmpty(generated);
        Assert.Equal(Files(RepositoryPaths.AspirateOutput), generated);
        foreach (var file in generated)
        {
            var expected = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.AspirateOutput, file));
            var actual = await File.ReadAllBytesAsync(Path.Combine(_output, file));
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"aspirate-output/{file} differs from what the AppHost generates: regenerate it (docs/kubernetes.md) and commit.");
        }
    }

    [Fact]
    public async Task A_grace_period_shorter_than_preStop_drain_shutdown_and_margin_is_refused_by_name()
    {
        var result = await GenerateAsync(_output, "--Kubernetes:Lifecycle:TerminationGracePeriodSeconds=30");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Kubernetes:Lifecycle:TerminationGracePeriodSeconds (30) must be at least PreStopSeconds + DrainDelaySeconds + "
            + "ShutdownTimeoutSeconds + MarginSeconds (40)", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public async Task One_setting_reaches_the_pod_its_grace_period_and_the_charts_values()
    {
        var result = await GenerateAsync(_output, "--Kubernetes:Lifecycle:DrainDelaySeconds=12");
        Assert.True(result.ExitCode == 0, result.ToString());

        var rendered = await RenderedManifests.RenderAsync(_output);
        var deployments = rendered.Deployments.ToList();
        Assert.Equal(2, deployments.Count);
        Assert.All(deployments, d =>
        {
            Assert.Contains(d.Spec.Template.Spec.Containers[0].Env, e => e.Name == "Lifecycle__DrainDelaySeconds" && e.Value == "12");
            Assert.Equal(5 + 12 + 20 + 10, d.Spec.Template.Spec.TerminationGracePeriodSeconds);
        });
        Assert.Contains("drainDelaySeconds: 12", await File.ReadAllTextAsync(Path.Combine(_output, "chart", "values.yaml")), StringComparison.Ordinal);
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

        var ingress = await File.ReadAllTextAsync(Path.Combine(_output, "production", "frontend-ingress.yaml"));
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

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
