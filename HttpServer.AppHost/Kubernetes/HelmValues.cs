using System.Text.Json.Nodes;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The values placed into the chart's objects: each service's Deployment (base and production patch merged as kustomize
/// merges them) with the resources, probes, lifecycle timings and image; the Ingress's host, class, Secret and
/// issuer; and the traffic components' values.
/// </summary>
internal static class HelmValues
{
    /// <summary>The base Deployment, its production patch merged in as kustomize merges it, its pod's values placed.</summary>
    public static JsonObject Deployment(HelmTemplate helm, ServiceObjects objects, IReadOnlyList<OptionalComponent> components, ContainerImage image)
    {
        var deployment = JsonMerge.Patched(objects.Deployment, objects.DeploymentPatch);
        var container = PlacePod(helm, objects.Service, deployment, components);
        if (objects.Service.Image == image)
        {
            container["image"] = helm.Expression(
                "{{ printf \"%s%s\" .Values.image.repository (ternary (printf \"@%s\" .Values.image.digest) (printf \":%s\" .Values.image.tag) (ne .Values.image.digest \"\")) | toJson }}");
            Variable(container, "VERSION")["value"] = helm.Expression("{{ .Values.image.tag | toJson }}");
        }
        return deployment;
    }

    /// <summary>
    /// A service's pod values (resources, probes, lifecycle timings) placed into a Deployment of its pods, and the
    /// components' environment appended: its own Deployment's and its canary's, which run the same pod; returns the container.
    /// </summary>
    public static JsonObject PlacePod(HelmTemplate helm, ServiceDescription service, JsonNode deployment, IReadOnlyList<OptionalComponent> components)
    {
        var name = service.Name;
        var pod = deployment["spec"]!["template"]!.AsObject();
        var container = pod["spec"]!["containers"]![0]!.AsObject();
        HelmChartGenerator.AppendGated(helm, container, "env", components, c => c.AppEnvironment);
        var lifecycle = service.Settings.Lifecycle;
        void Place(JsonObject parent, string field, string path, string pipe = "toJson", JsonNode? value = null) =>
            helm.Place(parent, field, $"services.{name}.{path}", Reference(name, path), pipe, value);
        Place(container, "resources", "resources");
        foreach (var probe in new[] { "startup", "readiness", "liveness" })
        {
            Place(container, $"{probe}Probe", $"probes.{probe}");
        }
        Place(container["lifecycle"]!["preStop"]!["sleep"]!.AsObject(), "seconds", "lifecycle.preStopSeconds");
        // The env values are strings; values.yaml keeps the numbers.
        Place(Variable(container, "Lifecycle__DrainDelaySeconds"), "value", "lifecycle.drainDelaySeconds", "toString | toJson",
            lifecycle.DrainDelaySeconds);
        Place(Variable(container, "Lifecycle__ShutdownTimeoutSeconds"), "value", "lifecycle.shutdownTimeoutSeconds", "toString | toJson",
            lifecycle.ShutdownTimeoutSeconds);
        helm.Default($"services.{name}.lifecycle.marginSeconds", lifecycle.MarginSeconds);
        // The setting as it is (0: computed), so that raising a timing in the values raises the grace period with it.
        helm.Default($"services.{name}.lifecycle.terminationGracePeriodSeconds", lifecycle.TerminationGracePeriodSeconds);
        pod["spec"]!["terminationGracePeriodSeconds"] = helm.Expression($"{{{{ include \"httpserver.gracePeriod\" {Reference(name, "lifecycle")} }}}}");
        // A changed environment is a changed pod template, which rolls the pods (kustomize does it by the ConfigMap's hashed name).
        var annotations = (JsonObject)(((JsonObject)(pod["metadata"] ??= new JsonObject()))["annotations"] ??= new JsonObject());
        annotations["checksum/config"] =
            helm.Expression($"{{{{ include (print $.Template.BasePath \"/{name}-env.yaml\") . | sha256sum | quote }}}}");
        return container;
    }

    public static void PlaceIngress(HelmTemplate helm, JsonObject ingress)
    {
        var spec = ingress["spec"]!.AsObject();
        helm.Place(spec, "ingressClassName", "ingress.className", ".Values.ingress.className");
        helm.Place(spec["rules"]![0]!.AsObject(), "host", "ingress.host", ".Values.ingress.host");
        helm.Place(spec["tls"]![0]!.AsObject(), "secretName", "ingress.tlsSecret", ".Values.ingress.tlsSecret");
        spec["tls"]![0]!["hosts"] = new JsonArray(helm.Expression("{{ .Values.ingress.host | toJson }}"));
        PlaceIssuer(helm, ingress);
    }

    /// <summary>cert-manager's annotation on an Ingress or a Gateway, there while <c>ingress.certManagerClusterIssuer</c> names an issuer.</summary>
    public static void PlaceIssuer(HelmTemplate helm, JsonObject node)
    {
        var issuer = (string?)node["metadata"]!["annotations"]?[ProductionObjectFactory.IssuerAnnotation] ?? "";
        helm.Place(node["metadata"]!.AsObject(), "annotations", "ingress.certManagerClusterIssuer",
            $"ternary (dict \"{ProductionObjectFactory.IssuerAnnotation}\" .Values.ingress.certManagerClusterIssuer) (dict) (ne .Values.ingress.certManagerClusterIssuer \"\")",
            value: issuer);
    }

    public static string Reference(string service, string path) => $"(index .Values.services \"{service}\").{path}";

    private static JsonObject Variable(JsonObject container, string name) => container["env"]!.AsArray().OfType<JsonObject>().Single(v => (string?)v["name"] == name);

    /// <summary>
    /// A traffic component's values: the Gateway's class, and each canary's release and weight, the one value a rollout
    /// changes (<c>--set traffic.canary.backend.weight=100</c> promotes, <c>=0</c> rolls back); the stable Service gets the
    /// rest. The stable version in a canary's objects follows <c>image.tag</c>, as the service's own pods do.
    /// </summary>
    public static void PlaceTraffic(HelmTemplate helm, JsonObject node, OptionalComponent component, ObjectSet set)
    {
        var spec = node["spec"] as JsonObject;
        var shared = set.Services[0].Service.Settings;
        if (component.Name == TrafficObjects.GatewayComponent)
        {
            // The north-south entry point: the same host, Secret and issuer values as the Ingress it replaces.
            helm.Default("ingress.host", shared.IngressHost);
            helm.Default("ingress.tlsSecret", shared.TlsSecret);
            Follow(node, shared.IngressHost, () => helm.Expression("{{ .Values.ingress.host | toJson }}"));
            Follow(node, shared.TlsSecret, () => helm.Expression("{{ .Values.ingress.tlsSecret | toJson }}"));
            if ((string?)node["kind"] == "Gateway")
            {
                helm.Place(spec!, "gatewayClassName", "traffic.gateway.className", ".Values.traffic.gateway.className");
                PlaceIssuer(helm, node);
            }
            return;
        }
        var instance = (string?)node["metadata"]?["labels"]?[KubernetesLabels.Instance];
        var service = set.Services.Select(s => s.Service).FirstOrDefault(s => s.Name == instance);
        if (service is null || component.Name != TrafficObjects.CanaryComponent)
        {
            return;
        }
        var reference = $"(index .Values.traffic.canary \"{service.Name}\")";
        var release = service.Settings.Canary.Release(service.Version);
        helm.Default($"traffic.canary.{service.Name}.version", release);
        Follow(node, $"{service.Image.Repository}:{release}", () => helm.Expression($"{{{{ printf \"%s:%s\" .Values.image.repository {reference}.version | toJson }}}}"));
        Follow(node, release, () => helm.Expression($"{{{{ {reference}.version | toJson }}}}"));
        Follow(node, service.Version, () => helm.Expression("{{ .Values.image.tag | toJson }}"));
        foreach (var backend in spec?["rules"]?.AsArray().SelectMany(r => r!["backendRefs"]!.AsArray()).Select(b => b!.AsObject()) ?? [])
        {
            if ((string?)backend["name"] == CanaryObjects.ServiceName(service, CanaryObjects.Canary))
            {
                helm.Place(backend, "weight", $"traffic.canary.{service.Name}.weight", $"{reference}.weight");
            }
            else
            {
                // A weight outside 0..100 fails the render, naming the value (the weights would not split 100).
                backend["weight"] = helm.Expression($"{{{{ if or (lt (int {reference}.weight) 0) (gt (int {reference}.weight) 100) }}}}{{{{ fail \"traffic.canary.{service.Name}.weight must be 0 to 100\" }}}}{{{{ end }}}}{{{{ sub 100 (int {reference}.weight) }}}}");
            }
        }
    }

    /// <summary>Every string equal to <paramref name="literal"/> becomes a Helm reference.</summary>
    private static void Follow(JsonNode node, string literal, Func<JsonNode> reference)
    {
        foreach (var value in HelmTemplate.Descendants(node).OfType<JsonValue>().Where(v => v.TryGetValue<string>(out var text) && text == literal))
        {
            value.ReplaceWith(reference());
        }
    }
}
