using HttpServer.Conformance.Tests.Infrastructure;
using HttpServer.Conformance.Tests.Manifests;
using HttpServer.Testing;

namespace HttpServer.Conformance.Tests;

/// <summary>
/// Once per run: tests/setup/podman.sh installs what is missing and (re)builds the real image when the
/// Api's sources changed; then the manifests are rendered with kubectl kustomize and the Api's pod template
/// is picked from them.
/// </summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    /// <summary>The ContainerRepository of HttpServer.Api.csproj.</summary>
    public const string ImageRepository = "httpserver-api";

    /// <summary>Set it to a kustomization folder to run the suite against other manifests (an overlay).</summary>
    public const string ManifestsVariable = "CONFORMANCE_MANIFESTS";

    public string Image { get; private set; } = "";

    /// <summary>The NativeAOT variant of <see cref="Image"/> (tag 1.0.0-aot).</summary>
    public string AotImage { get; private set; } = "";

    public RenderedManifests Manifests { get; private set; } = null!;

    /// <summary>Every rendered Deployment that runs the Api's image (the AppHost's backend and frontend).</summary>
    public IReadOnlyList<PodTemplate> Templates { get; private set; } = [];

    /// <summary>The first of them: the one the slower scenarios use.</summary>
    public PodTemplate Template => Templates[0];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ConformancePaths.TestResults);
        var setupLog = Path.Combine(ConformancePaths.TestResults, "podman-setup.log");
        // Output to a file, not a pipe: build servers the script may start must not hold the test's pipes open.
        var setup = await ProcessRunner.RunAsync("bash",
            ["-c", $"bash \"{ConformancePaths.SetupScript}\" 2>\"{setupLog}\""], TimeSpan.FromMinutes(20));
        setup.EnsureSuccess($"tests/setup/podman.sh (see {setupLog})");
        // The script's last two lines: the NativeAOT image, then the JIT image.
        var images = setup.StandardOutput.Trim().Split('\n');
        (AotImage, Image) = (images[^2].Trim(), images[^1].Trim());

        await Podman.RemoveLeftoversAsync();
        var manifests = Environment.GetEnvironmentVariable(ManifestsVariable) is { Length: > 0 } custom
            ? custom
            : RepositoryPaths.AspirateOutput;
        Manifests = await RenderedManifests.RenderAsync(manifests);
        Templates = PodTemplate.AllForImage(Manifests, ImageRepository);
    }

    public Task DisposeAsync() => Podman.RemoveLeftoversAsync();
}

[CollectionDefinition(Name)]
public sealed class PodLifecycleSuite : ICollectionFixture<ConformanceFixture>
{
    // One collection: the scenarios run one after another, so their timings do not disturb each other.
    public const string Name = "Pod lifecycle conformance";
}
