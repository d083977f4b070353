using HttpServer.Kubernetes.Tests.Infrastructure;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>The QoS classifier the pod tests rely on, against Kubernetes' documented cases.</summary>
public sealed class QualityOfServiceTests
{
    private static V1Container Container(string? cpuRequest, string? memoryRequest, string? cpuLimit, string? memoryLimit)
    {
        static Dictionary<string, ResourceQuantity>? Quantities(string? cpu, string? memory)
        {
            var result = new Dictionary<string, ResourceQuantity>();
            if (cpu is not null) { result["cpu"] = new ResourceQuantity(cpu); }
            if (memory is not null) { result["memory"] = new ResourceQuantity(memory); }
            return result.Count == 0 ? null : result;
        }
        return new V1Container
        {
            Name = "app",
            Resources = new V1ResourceRequirements { Requests = Quantities(cpuRequest, memoryRequest), Limits = Quantities(cpuLimit, memoryLimit) },
        };
    }

    [Theory]
    [InlineData("500m", "256Mi", "500m", "256Mi", "Guaranteed")]
    [InlineData(null, null, "0.5", "256Mi", "Guaranteed")] // requests default to limits
    [InlineData("250m", "256Mi", "500m", "256Mi", "Burstable")]
    [InlineData("500m", "256Mi", "500m", null, "Burstable")]
    [InlineData("500m", null, null, null, "Burstable")]
    [InlineData(null, null, null, null, "BestEffort")]
    public void Classify_follows_the_Kubernetes_rules(string? cpuRequest, string? memoryRequest, string? cpuLimit, string? memoryLimit, string expected)
    {
        var pod = new V1PodSpec { Containers = [Container(cpuRequest, memoryRequest, cpuLimit, memoryLimit)] };
        Assert.Equal(expected, QualityOfService.Classify(pod));
    }

    [Fact]
    public void An_init_container_without_limits_makes_the_pod_Burstable()
    {
        var pod = new V1PodSpec
        {
            Containers = [Container("500m", "256Mi", "500m", "256Mi")],
            InitContainers = [Container(null, null, null, null)],
        };
        Assert.Equal("Burstable", QualityOfService.Classify(pod));
    }
}
