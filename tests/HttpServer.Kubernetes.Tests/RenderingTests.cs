using System.Text.Json;
using System.Xml.Linq;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>The rendered app as a whole: what kubectl produces and what the cluster would get.</summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed class RenderingTests(RenderedManifestsFixture rendered)
{
    private static readonly string[] Services = ["backend", "frontend"];

    [Fact]
    public void Kubectl_is_at_least_1_30()
    {
        using var version = JsonDocument.Parse(rendered.KubectlVersion);
        var client = version.RootElement.GetProperty("clientVersion");
        var minor = int.Parse(client.GetProperty("minor").GetString()!.TrimEnd('+'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("1", client.GetProperty("major").GetString());
        Assert.True(minor >= 30, $"kubectl 1.{minor} is older than 1.30 (no native sleep preStop action).");
    }

    [Fact]
    public void Kustomize_renders_every_object_the_app_needs_and_each_loads_strictly()
    {
        var kinds = rendered.Manifests.Objects.Select(o => o.GetType().Name).Order().ToList();
        // 2 generated env ConfigMaps + 2 mounted settings ConfigMaps.
        Assert.Equal(4, rendered.Manifests.Objects.OfType<V1ConfigMap>().Count());
        foreach (var kind in new[] { typeof(V1Deployment), typeof(V1Service), typeof(V1ServiceAccount), typeof(V1PodDisruptionBudget), typeof(V2HorizontalPodAutoscaler), typeof(V1NetworkPolicy) })
        {
            Assert.Equal(2, rendered.Manifests.Objects.Count(o => o.GetType() == kind));
        }
        Assert.Single(rendered.Manifests.Objects.OfType<V1Ingress>());
        Assert.Equal(17, kinds.Count);
    }

    [Fact]
    public void Deployments_run_the_image_the_Api_project_publishes()
    {
        var project = XDocument.Load(Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj"));
        var image = $"{project.Descendants("ContainerRepository").Single().Value}:{project.Descendants("Version").Single().Value}";
        Assert.Equal("httpserver-api:1.0.0", image);
        Assert.Equal("1654", project.Descendants("ContainerUser").Single().Value);
        Assert.NotEmpty(rendered.Manifests.Deployments);
        Assert.All(rendered.Manifests.Deployments, d => Assert.Equal(image, d.Spec.Template.Spec.Containers.Single().Image));
    }

    [Fact]
    public void Frontend_reaches_the_backend_through_its_Service()
    {
        var frontend = PodConfiguration.For(rendered.Manifests, rendered.Manifests.Deployments.Single(d => d.Metadata.Name == "frontend"));
        var backend = rendered.Manifests.Objects.OfType<V1Service>().Single(s => s.Metadata.Name == "backend");
        var port = backend.Spec.Ports.Single(p => p.Name == "http");
        Assert.Equal($"http://backend:{port.Port}", frontend.Environment["services__backend__http__0"]);
        Assert.Equal("http", port.TargetPort.Value);
    }

    [Fact]
    public void Every_service_keeps_two_replicas_through_its_autoscaler_rolls_without_unavailability_and_spreads_across_nodes()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            // The count is the autoscaler's alone: a count in the Deployment would conflict with it at the next apply.
            Assert.Null(deployment.Spec.Replicas);
            Assert.True(rendered.Manifests.Objects.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Spec.ScaleTargetRef.Name == deployment.Metadata.Name).Spec.MinReplicas >= 2);
            Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
            Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
            var spread = Assert.Single(deployment.Spec.Template.Spec.TopologySpreadConstraints);
            Assert.Equal("kubernetes.io/hostname", spread.TopologyKey);
            Assert.True(Selects(spread.LabelSelector, deployment));
        }
    }

    [Fact]
    public void Each_Deployment_has_a_disruption_budget_and_an_autoscaler_that_select_it()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            var budgets = rendered.Manifests.Objects.OfType<V1PodDisruptionBudget>().Where(b => Selects(b.Spec.Selector, deployment)).ToList();
            Assert.Single(budgets);
            var autoscaler = rendered.Manifests.Objects.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Spec.ScaleTargetRef.Name == deployment.Metadata.Name);
            Assert.Equal("autoscaling/v2", autoscaler.ApiVersion);
            Assert.Equal("Deployment", autoscaler.Spec.ScaleTargetRef.Kind);
            Assert.True(autoscaler.Spec.MinReplicas >= 2 && autoscaler.Spec.MaxReplicas > autoscaler.Spec.MinReplicas);
        }
    }

    [Fact]
    public void Services_use_named_ports_that_the_pods_declare()
    {
        Assert.NotEmpty(rendered.Manifests.Objects.OfType<V1Service>());
        foreach (var service in rendered.Manifests.Objects.OfType<V1Service>())
        {
            var deployment = rendered.Manifests.Deployments.Single(d => service.Spec.Selector.All(s => d.Spec.Template.Metadata.Labels[s.Key] == s.Value));
            var containerPorts = deployment.Spec.Template.Spec.Containers.Single().Ports.Select(p => p.Name).ToList();
            Assert.NotEmpty(service.Spec.Ports);
            Assert.All(service.Spec.Ports, p =>
            {
                Assert.False(string.IsNullOrEmpty(p.Name));
                Assert.Contains(p.TargetPort.Value, containerPorts);
            });
        }
    }

    [Fact]
    public void Only_the_frontend_is_exposed_through_an_Ingress_with_TLS()
    {
        var ingress = Assert.Single(rendered.Manifests.Objects.OfType<V1Ingress>());
        var tls = Assert.Single(ingress.Spec.Tls);
        Assert.False(string.IsNullOrEmpty(tls.SecretName));
        Assert.Equal(tls.Hosts, ingress.Spec.Rules.Select(r => r.Host));
        var backend = ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service;
        Assert.Equal("frontend", backend.Name);
        Assert.Equal("http", backend.Port.Name);
        Assert.DoesNotContain(rendered.Manifests.Objects.OfType<V1Secret>(), s => true);
        Assert.DoesNotContain("PRIVATE KEY", rendered.Manifests.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_carry_Prometheus_scrape_annotations_for_the_metrics_endpoint()
    {
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            var annotations = deployment.Spec.Template.Metadata.Annotations;
            Assert.Equal("true", annotations["prometheus.io/scrape"]);
            Assert.Equal("/metrics", annotations["prometheus.io/path"]);
            var port = deployment.Spec.Template.Spec.Containers.Single().Ports.Single(p => p.Name == "management").ContainerPort;
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
        }
    }

    [Fact]
    public void Network_policies_allow_only_ingress_to_frontend_frontend_to_backend_and_DNS()
    {
        var policies = rendered.Manifests.Objects.OfType<V1NetworkPolicy>().ToDictionary(p => p.Spec.PodSelector.MatchLabels["app.kubernetes.io/instance"]);
        Assert.Equal(Services, policies.Keys.Order());
        Assert.All(policies.Values, p => Assert.Equal(["Ingress", "Egress"], p.Spec.PolicyTypes));

        var frontend = policies["frontend"].Spec;
        Assert.Equal(2, frontend.Ingress.Count);
        Assert.Null(frontend.Ingress[0].FromProperty); // from anywhere, to http: the ingress controller
        Assert.Equal("http", frontend.Ingress[0].Ports.Single().Port.Value);
        Assert.Equal("monitoring", frontend.Ingress[1].FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("management", frontend.Ingress[1].Ports.Single().Port.Value);
        Assert.Equal(2, frontend.Egress.Count);
        Assert.Equal("backend", frontend.Egress[0].To.Single().PodSelector.MatchLabels["app.kubernetes.io/instance"]);
        AssertDns(frontend.Egress[1]);

        var backend = policies["backend"].Spec;
        Assert.Equal("frontend", backend.Ingress[0].FromProperty.Single().PodSelector.MatchLabels["app.kubernetes.io/instance"]);
        AssertDns(Assert.Single(backend.Egress));
    }

    private static void AssertDns(V1NetworkPolicyEgressRule rule)
    {
        Assert.Equal("kube-dns", rule.To.Single().PodSelector.MatchLabels["k8s-app"]);
        Assert.Equal(2, rule.Ports.Count); // UDP and TCP
        Assert.All(rule.Ports, p => Assert.Equal("53", p.Port.Value));
    }

    private static bool Selects(V1LabelSelector selector, V1Deployment deployment) =>
        selector.MatchLabels is { Count: > 0 } labels
        && labels.All(l => deployment.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var value) && value == l.Value);
}
