using System.Text.Json.Nodes;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The Helm writer: the object set's objects, each service's Deployment with its production patch and components applied,
/// and the values a release changes (image, autoscaler range, resources, probes, lifecycle timings, Ingress) placed into their
/// fields from values.yaml, whose defaults are the objects' own. With the defaults `helm template` renders what
/// `kubectl kustomize` renders (HelmChartTests holds them together); a change of a service's environment rolls its pods
/// through the checksum/config annotation.
/// </summary>
public static class HelmChartGenerator
{
    public const string Folder = "chart";

    private const string Helpers = """
        {{- define "httpserver.chart" -}}
        {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
        {{- end -}}

        {{/* What a pod needs between deletion and exit: preStop, drain, in-flight requests, a margin. */}}
        {{- define "httpserver.neededSeconds" -}}
        {{- add .preStopSeconds .drainDelaySeconds .shutdownTimeoutSeconds .marginSeconds -}}
        {{- end -}}

        {{/* Fails the render when a pod could be killed before it drained: the kubelet's SIGKILL comes at the grace period. */}}
        {{- define "httpserver.checkGracePeriod" -}}
        {{- $needed := include "httpserver.neededSeconds" . | int -}}
        {{- if and (ne (int .terminationGracePeriodSeconds) 0) (lt (int .terminationGracePeriodSeconds) (int $needed)) -}}
        {{- fail (printf "lifecycle.terminationGracePeriodSeconds (%d) must be 0 (computed) or at least preStopSeconds + drainDelaySeconds + shutdownTimeoutSeconds + marginSeconds (%d)" (int .terminationGracePeriodSeconds) (int $needed)) -}}
        {{- end -}}
        {{- end -}}

        {{/* The grace period: 0 means the sum the check asks for, as in the AppHost's settings. */}}
        {{- define "httpserver.gracePeriod" -}}
        {{- if eq (int .terminationGracePeriodSeconds) 0 -}}
        {{- include "httpserver.neededSeconds" . -}}
        {{- else -}}
        {{- int .terminationGracePeriodSeconds -}}
        {{- end -}}
        {{- end -}}

        """;

    public static IEnumerable<ManifestFile> Generate(ObjectSet set)
    {
        var helm = new HelmTemplate();
        var image = set.Services[0].Service.Image;
        // digest: set by `aspire deploy` to the pushed image's (the pods pull repository@digest); the tag stays the version.
        helm.Values["image"] = new JsonObject { ["repository"] = image.Repository, ["tag"] = image.Tag, ["digest"] = "" };
        foreach (var component in set.Components)
        {
            helm.Default($"{component.ValuesKey}.enabled", component.Enabled);
        }
        var files = new List<ManifestFile>();
        foreach (var objects in set.Services)
        {
            var name = objects.Service.Name;
            var documents = new List<(JsonNode, string?)> { (HelmValues.Deployment(helm, objects, set.Components, image), null), (HelmTemplate.ToJson(objects.ServiceObject), null) };
            foreach (var production in objects.Production)
            {
                var node = HelmTemplate.ToJson(production);
                if (production is V1NetworkPolicy)
                {
                    AppendGated(helm, node["spec"]!, "egress", set.Components, c => c.AppEgress);
                }
                if (production is V1Ingress)
                {
                    HelmValues.PlaceIngress(helm, node.AsObject());
                }
                if (production is V2HorizontalPodAutoscaler)
                {
                    // The autoscaler's range is the replica count's only source (the Deployment has none).
                    helm.Place(node["spec"]!.AsObject(), "minReplicas", $"services.{name}.minReplicas", HelmValues.Reference(name, "minReplicas"));
                    helm.Place(node["spec"]!.AsObject(), "maxReplicas", $"services.{name}.maxReplicas", HelmValues.Reference(name, "maxReplicas"));
                }
                if (production is V1ConfigMap)
                {
                    // The live settings (log levels, fault injection): `helm upgrade --reuse-values --set-string` changes them
                    // without a rollout, and a later upgrade keeps them (a kubectl edit would be reverted).
                    helm.Place(node.AsObject(), "data", $"services.{name}.settings", HelmValues.Reference(name, "settings"));
                }
                // An object a component replaces (the Ingress, by the Gateway) is there while that component is off.
                var replacedBy = set.Components.Where(c => c.Removes.Contains((ObjectSet.KindOf(production), ObjectSet.NameOf(production)))).ToList();
                documents.Add((node, replacedBy.Count == 0 ? null : $"and {string.Join(" ", replacedBy.Select(c => $"(not {Switch(c)})"))}"));
            }
            var ownImage = objects.Service.Image == image;
            documents.ForEach(d => helm.Labels(d.Item1, ownImage ? image.Tag : null));
            var environmentNode = HelmTemplate.ToJson(objects.Environment);
            helm.Labels(environmentNode, ownImage ? image.Tag : null);
            files.Add(new($"{Folder}/templates/{name}-env.yaml", helm.Write([(environmentNode, null)])));
            files.Add(new($"{Folder}/templates/{name}.yaml",
                $"{{{{- include \"httpserver.checkGracePeriod\" {HelmValues.Reference(name, "lifecycle")} }}}}\n" + helm.Write(documents)));
        }
        foreach (var component in set.Components)
        {
            var documents = component.Resources.Select(r => (Node: HelmTemplate.ToJson(r), Condition: component.Needs.TryGetValue(r, out var needed) ? Switch(needed) : null)).ToList();
            foreach (var deployment in documents.Select(d => d.Node).Where(d => (string?)d["kind"] == "Deployment" && set.AppDeployments.Contains((string?)d["metadata"]!["name"])))
            {
                var instance = (string?)deployment["metadata"]!["labels"]![KubernetesLabels.Instance];
                HelmValues.PlacePod(helm, set.Services.Single(s => s.Service.Name == instance).Service, deployment, set.Components);
            }
            documents.ForEach(d => HelmValues.PlaceTraffic(helm, d.Node.AsObject(), component, set));
            documents.ForEach(d => helm.Labels(d.Node, image.Tag));
            var required = string.Concat(component.Requires.Select(r => (Needed: set.Components.Single(c => c.Path == r.Path), r.Why)).Select(r =>
                $"{{{{- if not {Switch(r.Needed)} }}}}{{{{ fail \"{component.ValuesKey}.enabled needs {r.Needed.ValuesKey}.enabled: {r.Why}\" }}}}{{{{- end }}}}\n"));
            files.Add(new($"{Folder}/templates/{component.Folder}-{component.Name}.yaml", $"{{{{- if {Switch(component)} }}}}\n{required}{helm.Write(documents)}\n{{{{- end }}}}"));
        }
        files.Add(new($"{Folder}/templates/_helpers.tpl", Helpers));
        files.Add(new($"{Folder}/Chart.yaml", new Dictionary<string, string>
        {
            ["apiVersion"] = "v2",
            ["name"] = "httpserver",
            ["type"] = "application",
            ["version"] = image.Tag,
            ["appVersion"] = image.Tag,
            ["description"] = "HttpServer's services (the AppHost's model) with their production settings as values",
        }));
        files.Add(new($"{Folder}/values.yaml", helm.WriteValues()));
        files.Add(new($"{Folder}/values.schema.json", helm.WriteSchema()));
        return files;
    }

    /// <summary>A component's switch: <c>.Values.observability.otlp.enabled</c>.</summary>
    internal static string Switch(OptionalComponent component) => $".Values.{component.ValuesKey}.enabled";

    /// <summary>Each component's items appended to the list, there while the component is on.</summary>
    internal static void AppendGated(HelmTemplate helm, JsonNode parent, string list, IEnumerable<OptionalComponent> components, Func<OptionalComponent, IEnumerable<object>> items)
    {
        foreach (var component in components.Where(c => items(c).Any()))
        {
            ((JsonArray)(parent[list] ??= new JsonArray())).Add(helm.Gate([.. items(component).Select(HelmTemplate.ToJson)], Switch(component)));
        }
    }
}
