using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The pod's QoS class by Kubernetes' rules (pkg/apis/core/helper/qos): Guaranteed when every container,
/// init containers included, limits CPU and memory and requests equal limits (an unset request defaults to
/// the limit); BestEffort when nothing is requested or limited; Burstable otherwise.
/// </summary>
internal static class QualityOfService
{
    private static readonly string[] Compute = ["cpu", "memory"];

    public static string Classify(V1PodSpec pod)
    {
        var requests = new Dictionary<string, decimal>();
        var limits = new Dictionary<string, decimal>();
        var guaranteed = true;
        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers))
        {
            var containerLimits = Quantities(container.Resources?.Limits);
            // API defaulting: a limit without a request makes the request equal to the limit.
            var containerRequests = Quantities(container.Resources?.Requests);
            foreach (var (name, value) in containerLimits.Where(l => !containerRequests.ContainsKey(l.Key)))
            {
                containerRequests[name] = value;
            }
            Add(requests, containerRequests);
            Add(limits, containerLimits);
            guaranteed &= Compute.All(containerLimits.ContainsKey);
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }
        guaranteed &= requests.Count == limits.Count
            && requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value);
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static Dictionary<string, decimal> Quantities(IDictionary<string, ResourceQuantity>? quantities) =>
        (quantities ?? new Dictionary<string, ResourceQuantity>())
            .Where(q => Compute.Contains(q.Key) && q.Value.ToDecimal() != 0)
            .ToDictionary(q => q.Key, q => q.Value.ToDecimal());

    private static void Add(Dictionary<string, decimal> total, Dictionary<string, decimal> container)
    {
        foreach (var (name, value) in container)
        {
            total[name] = total.GetValueOrDefault(name) + value;
        }
    }
}
