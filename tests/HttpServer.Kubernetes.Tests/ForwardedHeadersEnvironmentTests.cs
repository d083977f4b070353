using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// Aspire puts ASPNETCORE_FORWARDEDHEADERS_ENABLED=true on every published project; the Api ignores it (it would
/// trust X-Forwarded-For from any peer), so the generated environment must not carry it as if it did something.
/// </summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed class ForwardedHeadersEnvironmentTests(RenderedManifestsFixture rendered)
{
    private const string FrameworkSwitch = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";

    [Fact]
    public void No_rendered_pod_gets_the_framework_forwarded_headers_switch()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            var pod = PodConfiguration.For(rendered.Manifests, deployment);
            Assert.DoesNotContain(pod.Environment.Keys, IsFrameworkSwitch);
            Assert.DoesNotContain(pod.MountedFiles.Keys, IsFrameworkSwitch);
        }
        Assert.DoesNotContain(FrameworkSwitch, rendered.Manifests.Yaml, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_committed_manifest_names_the_framework_forwarded_headers_switch()
    {
        var files = Directory.EnumerateFiles(RepositoryPaths.AspirateOutput, "*.yaml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.DoesNotContain(FrameworkSwitch, File.ReadAllText(f), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The control: Aspire's own callbacks set the switch on a published project, so the tests above can fail.</summary>
    [Fact]
    public async Task Aspire_itself_sets_the_switch_on_a_published_project()
    {
        var builder = DistributedApplication.CreateBuilder(["--operation", "publish", "--step", "kubernetes-manifests"]);
        var plain = builder.AddProject("plain", Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj"), launchProfileName: null)
            .WithHttpEndpoint(name: "http").Resource;
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, plain, values, CancellationToken.None);
        foreach (var callback in plain.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Equal("true", values[FrameworkSwitch]);
    }

    private static bool IsFrameworkSwitch(string key) => string.Equals(key, FrameworkSwitch, StringComparison.OrdinalIgnoreCase);
}
