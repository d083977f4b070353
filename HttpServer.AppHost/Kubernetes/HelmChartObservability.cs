using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The optional observability components in the Helm chart: each one behind <c>observability.&lt;name&gt;.enabled</c>
/// (off by default, as in the kustomize output), made of the component's own files, which the chart carries under
/// files/observability/ and reads with <c>.Files.Get</c>, so that Helm never templates what they hold (the alerts'
/// <c>{{ $labels }}</c>, the dashboard's legends). What a component patches into the app's objects becomes a
/// conditional block in their templates.
/// </summary>
internal static class HelmChartObservability
{
    private const string FilesFolder = "files/observability";

    public static IEnumerable<ManifestFile> Files(IReadOnlyList<ObservabilityComponent> components) =>
        from component in components
        from file in component.Files
        select new ManifestFile($"{HelmChartGenerator.Folder}/{FilesFolder}/{component.Name}/{file}",
            File.ReadAllText(Path.Combine(component.Directory, file)));

    public static string Values(IReadOnlyList<ObservabilityComponent> components)
    {
        var values = new StringBuilder("""
            # The optional observability components of aspirate-output/observability/, off as there (docs/observability.md).
            observability:
            """).Append(components.Count == 0 ? " {}\n" : "\n");
        foreach (var component in components)
        {
            values.Append(CultureInfo.InvariantCulture, $"  {component.Name}:\n    enabled: false\n");
        }
        return values.ToString();
    }

    /// <summary>templates/observability.yaml: each component's objects, when it is on.</summary>
    public static string Template(IReadOnlyList<ObservabilityComponent> components)
    {
        // The components' files say managed-by kustomize: Helm's labels instead, at the same indentation.
        var template = new StringBuilder("""
            {{- $helmLabels := printf "${1}app.kubernetes.io/managed-by: %s\n${1}helm.sh/chart: %s" .Release.Service (include "httpserver.chart" .) }}

            """);
        foreach (var component in components)
        {
            template.Append(CultureInfo.InvariantCulture, $"{{{{- if {Enabled(component)} }}}}\n");
            foreach (var resource in component.Resources)
            {
                template.Append(CultureInfo.InvariantCulture,
                    $"---\n{{{{ regexReplaceAll \"(?m)^( *)app\\\\.kubernetes\\\\.io/managed-by: kustomize$\" (.Files.Get \"{FilesFolder}/{component.Name}/{resource}\") $helmLabels }}}}\n");
            }
            foreach (var configMap in component.ConfigMaps)
            {
                template.Append("---\n").Append(ConfigMap(component, configMap)).Append('\n');
            }
            template.Append("{{- end }}\n");
        }
        return template.ToString();
    }

    /// <summary>The environment the components on append to a service's container, as lines of the env list.</summary>
    public static string Environment(ServiceDescription service, IReadOnlyList<ObservabilityComponent> components, int indent) =>
        Conditional(components, c => c.Environment.Where(e => ObservabilityComponent.Selects(e.Selector, KubernetesLabels.All(service))).Select(e => e.Variable), indent);

    /// <summary>The egress rules the components on append to a service's NetworkPolicy, as lines of its egress list.</summary>
    public static string Egress(ServiceDescription service, IReadOnlyList<ObservabilityComponent> components, int indent) =>
        Conditional(components, c => c.Egress.Where(e => ObservabilityComponent.Selects(e.Selector, KubernetesLabels.All(service))).Select(e => e.Rule), indent);

    private static string Conditional<T>(IReadOnlyList<ObservabilityComponent> components, Func<ObservabilityComponent, IEnumerable<T>> items, int indent)
    {
        var text = new StringBuilder();
        foreach (var component in components)
        {
            var list = items(component).ToList();
            if (list.Count > 0)
            {
                var pad = new string(' ', indent);
                text.Append(CultureInfo.InvariantCulture, $"{pad}{{{{- if {Enabled(component)} }}}}\n")
                    .Append(HelmChartTemplates.Indent(KubernetesYaml.Serialize(list).ReplaceLineEndings("\n"), indent))
                    .Append(CultureInfo.InvariantCulture, $"\n{pad}{{{{- end }}}}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>What kustomize's configMapGenerator makes: one key per file, its content as is.</summary>
    private static string ConfigMap(ObservabilityComponent component, GeneratedConfigMap configMap)
    {
        var metadata = KubernetesYaml.Serialize(new V1ConfigMap
        {
            ApiVersion = V1ConfigMap.KubeApiVersion,
            Kind = V1ConfigMap.KubeKind,
            Metadata = new V1ObjectMeta { Name = configMap.Name, Labels = new Dictionary<string, string>(configMap.Labels) },
        }).ReplaceLineEndings("\n").TrimEnd('\n');
        var data = configMap.Files.Select(f =>
            $"  {Path.GetFileName(f)}: {{{{ .Files.Get \"{FilesFolder}/{component.Name}/{f}\" | toJson }}}}");
        return $"{metadata}\ndata:\n{string.Join('\n', data)}";
    }

    private static string Enabled(ObservabilityComponent component) => $".Values.observability.{component.Name}.enabled";
}
