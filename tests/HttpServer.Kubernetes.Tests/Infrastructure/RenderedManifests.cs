using k8s;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// <c>kubectl kustomize aspirate-output</c> rendered once by the real kubectl, loaded with KubernetesClient's
/// strict loader (unknown fields and wrong types fail).
/// </summary>
public sealed class RenderedManifests : IAsyncLifetime
{
    public string Text { get; private set; } = "";
    public string KubectlVersion { get; private set; } = "";
    public IReadOnlyList<object> Objects { get; private set; } = [];

    public IEnumerable<V1Deployment> Deployments => Objects.OfType<V1Deployment>();

    public async Task InitializeAsync()
    {
        var version = await ProcessRunner.RunAsync(Repository.Kubectl, ["version", "--client", "-o", "json"], TimeSpan.FromSeconds(30));
        KubectlVersion = version.Output;
        var rendered = await ProcessRunner.RunAsync(Repository.Kubectl, ["kustomize", Repository.AspirateOutput], TimeSpan.FromSeconds(60));
        if (rendered.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize aspirate-output failed: {rendered}");
        }
        Text = rendered.Output;
        Objects = KubernetesYaml.LoadAllFromString(Text, strict: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public V1ConfigMap ConfigMap(string name) =>
        Objects.OfType<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == name)
        ?? throw new InvalidOperationException($"No ConfigMap {name} in the rendered manifests.");
}

[CollectionDefinition(Name)]
public sealed class RenderedManifestsGroup : ICollectionFixture<RenderedManifests>
{
    public const string Name = "rendered manifests";
}
