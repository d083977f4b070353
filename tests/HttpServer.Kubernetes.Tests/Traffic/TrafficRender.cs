using System.Text.Json;
using System.Text.Json.Nodes;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Traffic;

/// <summary>
/// The output published with every traffic component switched on the way a user does it (the Gateway, a canary of the
/// backend at 10 %, the mesh, with the otlp component for the Telemetry and metrics for the PodMonitor), rendered by kubectl and by helm.
/// </summary>
public sealed class TrafficRender : IAsyncLifetime
{
    public const string CanaryVersion = "1.1.0";

    public static readonly string[] Switches =
    [
        "--Kubernetes:Gateway:Enabled=true", $"--Kubernetes:Canaries:backend:Version={CanaryVersion}", "--Kubernetes:Canaries:backend:Weight=10",
        "--Kubernetes:Mesh:Enabled=true", "--Kubernetes:Observability:Otlp=true", "--Kubernetes:Observability:Metrics=true",
    ];

    public RenderedManifests Kustomize { get; private set; } = null!;

    public RenderedManifests Helm { get; private set; } = null!;

    /// <summary>The published output, kept for the fixture's lifetime: tests template its chart with other values.</summary>
    public string Output { get; } = Path.Combine(Path.GetTempPath(), $"aspirate-output-{Guid.NewGuid():N}");

    public string Chart => Path.Combine(Output, "chart");

    public async Task InitializeAsync()
    {
        var result = await AspireCli.RunStepAsync("kubernetes-manifests", Output, Switches);
        Assert.True(result.ExitCode == 0, result.ToString());
        Kustomize = await RenderedManifests.RenderAsync(Output);
        Helm = RenderedManifests.Parse(await HelmChartTests.TemplateChartAsync(Chart));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Output, recursive: true);
        return Task.CompletedTask;
    }

    public static JsonNode Spec(CustomResource resource) => JsonSerializer.SerializeToNode(resource.Spec)!;

    /// <summary>The caller's budget for one call to its downstream: the Api's own default, read from the built Api.</summary>
    public static double CallerAttemptTimeoutSeconds()
    {
        var api = System.Reflection.Assembly.LoadFrom(Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "bin", "Release", "net10.0", "HttpServer.Api.dll"));
        var options = Activator.CreateInstance(api.GetType("HttpServer.Api.Chain.DownstreamOptions", throwOnError: true)!)!;
        return (double)options.GetType().GetProperty("AttemptTimeoutSeconds")!.GetValue(options)!;
    }

    /// <summary>A Gateway API duration as the generator writes it (<c>1800ms</c>, <c>10s</c>).</summary>
    public static double Seconds(string duration) => duration.EndsWith("ms", StringComparison.Ordinal)
        ? double.Parse(duration[..^2], System.Globalization.CultureInfo.InvariantCulture) / 1000
        : double.Parse(duration.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture);
}
