using HttpServer.AppHost.Kubernetes;
using HttpServer.Kubernetes.Tests.Infrastructure;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>A private registry: the pull secret named once, on the ServiceAccount every pod of the service runs as.</summary>
public sealed class ImagePullSecretTests
{
    [Fact]
    public async Task A_named_pull_secret_is_on_the_services_ServiceAccount_that_its_pods_run_as()
    {
        var rendered = await GeneratedOutput.RenderAsync([Service(new KubernetesSettings { ImagePullSecret = "regcred" })]);

        var account = Assert.Single(rendered.Objects.OfType<V1ServiceAccount>());
        Assert.Equal(["regcred"], account.ImagePullSecrets.Select(s => s.Name));
        Assert.Equal(account.Metadata.Name, Assert.Single(rendered.Deployments).Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public async Task Without_one_the_ServiceAccount_names_no_pull_secret()
    {
        var rendered = await GeneratedOutput.RenderAsync([Service(new KubernetesSettings())]);

        Assert.Null(Assert.Single(rendered.Objects.OfType<V1ServiceAccount>()).ImagePullSecrets);
    }

    private static ServiceDescription Service(KubernetesSettings settings) => new(
        "backend", new ContainerImage("httpserver-api", "1.0.0"), [new ServicePort("http", 8080, 80)], new Dictionary<string, string>(), [], IsExternal: false)
    { Settings = settings };
}
