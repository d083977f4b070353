using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>`aspire publish` and `aspire do kubernetes-manifests` write the committed manifests; the step graph is wired.</summary>
public sealed class AspireCliPublishTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"aspire-publish-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("publish")]
    [InlineData("do", "kubernetes-manifests")]
    public async Task The_Aspire_CLI_writes_the_committed_manifests_to_the_output_path(params string[] verb)
    {
        var result = await AspireCli.RunAsync([.. verb, "-o", _output]);

        Assert.True(result.ExitCode == 0, result.ToString());
        // Both ways: every committed file is written, and nothing else.
        var written = Files(_output);
        Assert.NotEmpty(written);
        Assert.Equal(Files(RepositoryPaths.AspirateOutput), written);
        foreach (var file in written)
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.AspirateOutput, file)), await File.ReadAllTextAsync(Path.Combine(_output, file)));
        }
    }

    private static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("publish", "kubernetes-manifests")]
    [InlineData("deploy", "kubernetes-deploy")]
    [InlineData("destroy", "kubernetes-destroy")]
    public async Task Each_well_known_step_lists_the_projects_step_as_a_dependency(string verb, string step)
    {
        // `aspire destroy` has no --list-steps; `aspire do <step> --list-steps` shows any step's graph.
        var result = await AspireCli.RunAsync(["do", verb, "--list-steps"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Depends on: {step}", result.StandardOutput, StringComparison.Ordinal);
        if (step != "kubernetes-manifests")
        {
            // What is applied or deleted is regenerated first.
            Assert.Contains($"{step}\n   └─ Depends on: kubernetes-manifests", result.StandardOutput.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }
}
