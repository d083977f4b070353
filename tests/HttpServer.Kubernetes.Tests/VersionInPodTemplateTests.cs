using HttpServer.AppHost.Kubernetes;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The release belongs to the pod template, like the image tag: a new version is a rollout, and a rollback brings the old
/// version back. The live settings ConfigMap, mounted and reloaded by running pods, must not carry it.
/// </summary>
public sealed class VersionInPodTemplateTests
{
    [Fact]
    public async Task Two_versions_render_pod_templates_that_differ_in_image_tag_VERSION_and_version_label_and_no_mounted_ConfigMap_holds_VERSION()
    {
        var a = await GeneratedOutput.RenderAsync([Service("1.0.0")]);
        var b = await GeneratedOutput.RenderAsync([Service("2.0.0")]);

        var (podA, podB) = (Pod(a), Pod(b));
        Assert.Equal("httpserver-api:1.0.0", podA.Spec.Containers[0].Image);
        Assert.Equal("httpserver-api:2.0.0", podB.Spec.Containers[0].Image);
        Assert.Equal("1.0.0", Variable(podA, "VERSION"));
        Assert.Equal("2.0.0", Variable(podB, "VERSION"));
        Assert.Equal("1.0.0", podA.Metadata.Labels["app.kubernetes.io/version"]);
        Assert.Equal("2.0.0", podB.Metadata.Labels["app.kubernetes.io/version"]);
        foreach (var rendered in new[] { a, b })
        {
            var mounted = Pod(rendered).Spec.Volumes.Where(v => v.ConfigMap is not null).Select(v => rendered.ConfigMap(v.ConfigMap.Name, null)).ToList();
            Assert.NotEmpty(mounted);
            Assert.All(mounted, c => Assert.DoesNotContain("VERSION", c.Data?.Keys ?? []));
        }
    }

    private static ServiceDescription Service(string version) => new(
        "backend", new ContainerImage("httpserver-api", version), [new ServicePort("http", 8080, 80)], new Dictionary<string, string>(), [], IsExternal: false);

    private static V1PodTemplateSpec Pod(RenderedManifests rendered) => Assert.Single(rendered.Deployments).Spec.Template;

    private static string? Variable(V1PodTemplateSpec pod, string name) => Assert.Single(pod.Spec.Containers[0].Env, e => e.Name == name).Value;
}
