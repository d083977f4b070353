using HttpServer.Kubernetes.Tests.Infrastructure;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>The management port on the rendered manifests: declared, probed and scraped, and routed to by nothing.</summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed class ManagementPortTests(RenderedManifestsFixture rendered)
{
    [Fact]
    public void Every_container_declares_http_and_management()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        Assert.All(rendered.Manifests.Deployments, d => Assert.Equal(
            [("http", 8080), ("management", 8081)],
            d.Spec.Template.Spec.Containers.Single().Ports.Select(p => (p.Name, p.ContainerPort)).Order()));
    }

    [Fact]
    public void Nothing_routes_to_management_from_a_Service_or_the_Ingress()
    {
        var services = rendered.Manifests.Objects.OfType<V1Service>().ToList();
        var ingresses = rendered.Manifests.Objects.OfType<V1Ingress>().ToList();
        Assert.NotEmpty(services);
        Assert.NotEmpty(ingresses);

        // A Service's targetPort may be the name or the number: both must be the http port.
        Assert.All(services.SelectMany(s => s.Spec.Ports), p => Assert.True(p.TargetPort.Value is "http" or "8080", $"A Service targets port {p.TargetPort.Value}."));
        Assert.All(services.SelectMany(s => s.Spec.Ports), p => Assert.Equal("http", p.Name));
        var backends = ingresses.SelectMany(i => i.Spec.Rules).SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service.Port).ToList();
        Assert.NotEmpty(backends);
        Assert.All(backends, port => Assert.True(port.Name == "http" && port.Number is null, $"An Ingress backend names port {port.Name ?? port.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture)}."));
        Assert.DoesNotContain(rendered.Manifests.Objects.OfType<V1Service>(), s => s.Spec.Type is "NodePort" or "LoadBalancer");
    }

    [Fact]
    public void Probes_use_the_management_port()
    {
        var probes = rendered.Manifests.Deployments.Select(d => d.Spec.Template.Spec.Containers.Single())
            .SelectMany(c => new[] { c.StartupProbe, c.ReadinessProbe, c.LivenessProbe }).ToList();
        Assert.Equal(6, probes.Count);
        Assert.All(probes, p => Assert.Equal("management", p.HttpGet.Port.Value));
    }

    [Fact]
    public void The_monitoring_namespace_reaches_management_only_and_peers_reach_http_only()
    {
        var policies = rendered.Manifests.Objects.OfType<V1NetworkPolicy>().ToList();
        Assert.Equal(2, policies.Count);
        foreach (var policy in policies)
        {
            var monitoring = policy.Spec.Ingress.Where(r => r.FromProperty?.Any(f => f.NamespaceSelector is not null) == true).ToList();
            var others = policy.Spec.Ingress.Except(monitoring).ToList();
            Assert.Equal(["management"], monitoring.SelectMany(r => r.Ports).Select(p => p.Port.Value));
            Assert.NotEmpty(others);
            Assert.All(others.SelectMany(r => r.Ports), p => Assert.Equal("http", p.Port.Value));
        }
    }
}
