using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// A service's canary: a second Deployment running the canary's image tag (its version label and VERSION say so), one
/// Service per track selecting only that track's pods, and the mesh route (GAMMA: an HTTPRoute whose parent is the
/// service's own Service) that splits its callers' requests by weight, with a timeout and retries inside the callers' budget.
/// The selectors hold the track, never the version: a Deployment's selector is immutable (a new canary release would fail
/// to apply), and a stable Service selecting one version would drop the old pods at once in a stable release.
/// </summary>
internal static class CanaryObjects
{
    public const string Stable = "stable";
    public const string Canary = "canary";

    public static string ServiceName(ServiceDescription service, string track) => $"{service.Name}-{track}";

    public static IEnumerable<object> Build(ServiceDescription service, IReadOnlyList<ServiceDescription> all)
    {
        var canary = service.Settings.Canary;
        var callers = service.CallersIn(all).ToList();
        if (service.Ports.Count == 0 || callers.Count == 0)
        {
            throw new ManifestGenerationException(
                $"Resource '{service.Name}': a canary is split by its callers' mesh route, and no service in the model calls '{service.Name}'.");
        }
        // A caller that sets its own per-call timeout (the Api's Downstream:AttemptTimeoutSeconds, default 2 s) must leave the
        // mesh room to give up first; the default is checked by the tests against the Api's own.
        foreach (var caller in callers)
        {
            if (caller.Environment.TryGetValue("Downstream__AttemptTimeoutSeconds", out var own)
                && double.TryParse(own, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && service.Settings.Route.TimeoutSeconds >= seconds)
            {
                throw new ManifestGenerationException(
                    $"Resource '{service.Name}': Kubernetes:Route:TimeoutSeconds ({service.Settings.Route.TimeoutSeconds}) must be below its caller '{caller.Name}''s Downstream__AttemptTimeoutSeconds ({own}).");
            }
        }
        var release = service with { Image = service.Image with { Tag = canary.Release(service.Version) } };
        yield return Deployment(service, release);
        yield return TrackService(service, service, Stable);
        yield return TrackService(service, release, Canary);
        yield return Route(service);
    }

    /// <summary>
    /// The stable Deployment as production patches it, renamed, with the canary's image, version and track. Its selector adds
    /// the track: the stable Deployment's (which has none, and cannot get one: selectors are immutable) also matches these
    /// pods, which only its status counts feel (ReplicaSets are owned, not adopted).
    /// </summary>
    private static V1Deployment Deployment(ServiceDescription service, ServiceDescription release)
    {
        var patched = JsonMerge.Patched(KubernetesObjectFactory.Deployment(release), ProductionObjectFactory.DeploymentPatch(release));
        var deployment = k8s.KubernetesJson.Deserialize<V1Deployment>(patched.ToJsonString());
        deployment.Metadata.Name = ServiceName(service, Canary);
        deployment.Spec.Replicas = 1;
        deployment.Spec.Selector.MatchLabels = TrackSelector(service, Canary);
        deployment.Spec.Template.Metadata.Labels[KubernetesLabels.Track] = Canary;
        return deployment;
    }

    private static V1Service TrackService(ServiceDescription service, ServiceDescription release, string track) => KubernetesObjectFactory.Service(
        KubernetesLabels.Metadata(ServiceName(service, track), release), TrackSelector(service, track), release.Ports.Select(p => (p.Name, p.Port)));

    private static SortedDictionary<string, string> TrackSelector(ServiceDescription service, string track) =>
        new(KubernetesLabels.Selector(service), StringComparer.Ordinal) { [KubernetesLabels.Track] = track };

    private static CustomObject Route(ServiceDescription service)
    {
        var route = service.Settings.Route;
        var weight = service.Settings.Canary.Weight;
        var port = service.Ports[0].Port;
        return new CustomObject
        {
            ApiVersion = TrafficObjects.GatewayApi,
            Kind = "HTTPRoute",
            Metadata = KubernetesLabels.Metadata(service.Name, service),
            Spec = new
            {
                // GAMMA: the parent is the Service the callers address; the mesh applies the route to their requests.
                parentRefs = new[] { new { group = "", kind = "Service", name = service.Name, port } },
                rules = new[]
                {
                    new
                    {
                        backendRefs = new[]
                        {
                            new { name = ServiceName(service, Stable), port, weight = 100 - weight },
                            new { name = ServiceName(service, Canary), port, weight },
                        },
                        timeouts = new { request = TrafficObjects.Duration(route.TimeoutSeconds), backendRequest = TrafficObjects.Duration(route.PerTryTimeoutSeconds) },
                        retry = new { codes = route.Codes, attempts = route.Attempts, backoff = $"{route.BackoffMilliseconds}ms" },
                    },
                },
            },
        };
    }
}
