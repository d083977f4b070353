using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary><c>kubectl kustomize aspirate-output</c> rendered once per run by the real kubectl, and that kubectl's version.</summary>
public sealed class RenderedManifestsFixture : IAsyncLifetime
{
    public string KubectlVersion { get; private set; } = "";

    public RenderedManifests Manifests { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var version = await ProcessRunner.RunAsync(RepositoryPaths.Kubectl, ["version", "--client", "-o", "json"], TimeSpan.FromSeconds(30));
        KubectlVersion = version.StandardOutput;
        Manifests = await RenderedManifests.RenderAsync(RepositoryPaths.AspirateOutput);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class RenderedManifestsGroup : ICollectionFixture<RenderedManifestsFixture>
{
    public const string Name = "rendered manifests";
}
