using System.Text.Json.Nodes;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Each service's values in the chart: its Deployment (base and production patch merged as kustomize merges them) with the
/// replicas, resources, probes, lifecycle timings and image placed into their fields, and the Ingress's host, class, Secret
/// and issuer.
/// </summary>
internal static class HelmServiceValues
{
    /// <summary>The base Deployment, its production patch merged in as kustomize merges it, the components' environment appended.</summary>
    public static JsonObject Deployment(HelmTemplate helm, ServiceObjects objects, IReadOnlyList<OptionalComponent> components, ContainerImage image)
    {
        var name = objects.Service.Name;
        var deployment = JsonMerge.Patched(objects.Deployment, objects.DeploymentPatch);
        var pod = deployment["spec"]!["template"]!.AsObject();
        var container = pod["spec"]!["containers"]![0]!.AsObject();
        HelmChartGenerator.AppendGated(helm, container, "env", components, c => c.AppEnvironment);
        var lifecycle = objects.Service.Settings.Lifecycle;
        void Place(JsonObject parent, string field, string path, string pipe = "toJson", JsonNode? value = null) =>
            helm.Place(parent, field, $"services.{name}.{path}", Reference(name, path), pipe, value);
        Place(deployment["spec"]!.AsObject(), "replicas", "replicas");
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
        Place(pod["spec"]!.AsObject(), "terminationGracePeriodSeconds", "lifecycle.terminationGracePeriodSeconds");
        if (objects.Service.Image == image)
        {
            container["image"] = helm.Expression(
                "{{ printf \"%s%s\" .Values.image.repository (ternary (printf \"@%s\" .Values.image.digest) (printf \":%s\" .Values.image.tag) (ne .Values.image.digest \"\")) | toJson }}");
            Variable(container, "VERSION")["value"] = helm.Expression("{{ .Values.image.tag | toJson }}");
        }
        // A changed environment is a changed pod template, which rolls the pods (kustomize does it by the ConfigMap's hashed name).
        var annotations = (JsonObject)(((JsonObject)(pod["metadata"] ??= new JsonObject()))["annotations"] ??= new JsonObject());
        annotations["checksum/config"] =
            helm.Expression($"{{{{ include (print $.Template.BasePath \"/{name}-env.yaml\") . | sha256sum | quote }}}}");
        return deployment;
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
            "ternary (dict \"cert-manager.io/cluster-issuer\" .Values.ingress.certManagerClusterIssuer) (dict) (ne .Values.ingress.certManagerClusterIssuer \"\")",
            value: issuer);
    }

    public static string Reference(string service, string path) => $"(index .Values.services \"{service}\").{path}";

    private static JsonObject Variable(JsonObject container, string name) => container["env"]!.AsArray().OfType<JsonObject>().Single(v => (string?)v["name"] == name);
}
