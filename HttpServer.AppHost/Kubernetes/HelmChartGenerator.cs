using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The Helm chart (chart/ beside the kustomize layers), from the same service descriptions: each service's objects are
/// the ones the kustomize output has, with the values a release changes (image, replicas, resources, probes, timings,
/// Ingress) read from values.yaml, whose defaults are the production settings. `helm template` with the defaults renders
/// what `kubectl kustomize` renders (tests/HttpServer.Kubernetes.Tests/HelmChartTests.cs holds them together).
/// </summary>
public static partial class HelmChartGenerator
{
    public const string Folder = "chart";

    // Placeholders for values the chart templates: generated as plain objects, then swapped for template expressions.
    private const string HostMark = "ingress-host.placeholder";
    private static readonly Dictionary<string, string> IngressMarks = new(StringComparer.Ordinal)
    {
        [HostMark] = "{{ .Values.ingress.host }}",
        ["ingress-class-placeholder"] = "{{ .Values.ingress.className }}",
        ["tls-secret-placeholder"] = "{{ .Values.ingress.tls.secretName }}",
        ["cluster-issuer-placeholder"] = "{{ .Values.ingress.tls.clusterIssuer }}",
    };

    /// <param name="services">The model's services.</param>
    /// <param name="options">The production settings (the values' defaults).</param>
    /// <param name="observability">The optional components of aspirate-output/observability/, each behind a value.</param>
    public static IEnumerable<ManifestFile> Generate(IReadOnlyList<ServiceDescription> services, ProductionOptions options,
        IReadOnlyList<ObservabilityComponent>? observability = null)
    {
        observability ??= [];
        var image = services[0].Image;
        var version = services[0].Version;
        yield return new ManifestFile($"{Folder}/Chart.yaml", HelmChartTemplates.Chart(version));
        yield return new ManifestFile($"{Folder}/values.yaml", HelmChartTemplates.Values(image, options) + "\n\n" + HelmChartObservability.Values(observability));
        yield return new ManifestFile($"{Folder}/templates/_helpers.tpl", HelmChartTemplates.Helpers);
        yield return new ManifestFile($"{Folder}/templates/observability.yaml", HelmLabels(HelmChartObservability.Template(observability)));
        foreach (var file in HelmChartObservability.Files(observability))
        {
            yield return file;
        }
        var marked = new ProductionOptions
        {
            IngressHost = HostMark,
            IngressClass = "ingress-class-placeholder",
            TlsSecret = "tls-secret-placeholder",
            CertManagerClusterIssuer = "cluster-issuer-placeholder",
            MinReplicas = options.MinReplicas,
            MaxReplicas = options.MaxReplicas,
            TargetCpuUtilization = options.TargetCpuUtilization,
            LiveSettingDefaults = options.LiveSettingDefaults,
            MonitoringNamespace = options.MonitoringNamespace,
        };
        foreach (var service in services.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            yield return new ManifestFile($"{Folder}/templates/{service.Name}.yaml", ServiceTemplate(service, services, marked, image, observability));
        }
    }

    private static string ServiceTemplate(ServiceDescription service, IReadOnlyList<ServiceDescription> all, ProductionOptions marked, ContainerImage image,
        IReadOnlyList<ObservabilityComponent> observability)
    {
        var environment = EnvironmentConfigMap(service, marked);
        var objects = new List<object>
        {
            environment,
            ProductionObjectFactory.Settings(service, marked),
            ProductionObjectFactory.DisruptionBudget(service),
            ProductionObjectFactory.Autoscaler(service, marked),
            ProductionObjectFactory.NetworkPolicy(service, all, marked),
        };
        if (service.Ports.Count > 0)
        {
            objects.Insert(2, KubernetesObjectFactory.Service(service));
        }
        if (service.IsExternal)
        {
            objects.Add(ProductionObjectFactory.Ingress(service, marked));
        }
        var text = string.Join("\n---\n", objects.Select(o => KubernetesYaml.Serialize(o).ReplaceLineEndings("\n").TrimEnd('\n')));
        // The components' egress rules go last in the NetworkPolicy's egress list, where their JSON patches append them.
        text = text.Replace("\n  ingress:\n", "\n" + HelmChartObservability.Egress(service, observability, 2) + "  ingress:\n", StringComparison.Ordinal);
        foreach (var (mark, expression) in IngressMarks)
        {
            text = text.Replace(mark, expression, StringComparison.Ordinal);
        }
        var deployment = HelmChartTemplates.Deployment(service, environment.Metadata.Name,
            service.Image == image ? "{{ .Values.image.repository }}:{{ .Values.image.tag }}" : service.Image.ToString(),
            KubernetesYaml.Serialize(KubernetesLabels.All(service)).ReplaceLineEndings("\n"),
            KubernetesYaml.Serialize(KubernetesLabels.Selector(service)).ReplaceLineEndings("\n"),
            KubernetesYaml.Serialize(service.Ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.ContainerPort, Protocol = "TCP" }).ToList()).ReplaceLineEndings("\n"),
            HelmChartObservability.Environment(service, observability, 8),
            service.Image == image ? "{{ .Values.image.tag | quote }}" : $"\"{service.Version}\"");
        return HelmLabels(text + "\n---\n" + deployment);
    }

    /// <summary>
    /// What kustomize's configMapGenerator makes of the base's literals, under the same name: its content hash included,
    /// so that a changed environment is a new ConfigMap and a changed Deployment, which rolls the pods.
    /// </summary>
    private static V1ConfigMap EnvironmentConfigMap(ServiceDescription service, ProductionOptions options)
    {
        var data = new SortedDictionary<string, string>(
            service.Environment.Where(e => e.Key != "VERSION" && !options.LiveSettingDefaults.ContainsKey(e.Key)).ToDictionary(), StringComparer.Ordinal);
        return new V1ConfigMap
        {
            ApiVersion = V1ConfigMap.KubeApiVersion,
            Kind = V1ConfigMap.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = $"{ManifestGenerator.EnvironmentConfigMapName(service)}-{KustomizeHash.ConfigMapSuffix(data)}",
                Labels = KubernetesLabels.All(service),
            },
            Data = data,
        };
    }

    /// <summary>Helm manages the release: managed-by says so, and helm.sh/chart names the chart (Helm's convention).</summary>
    private static string HelmLabels(string text) => ManagedBy().Replace(text,
        m => $"{m.Groups[1].Value}{KubernetesLabels.ManagedBy}: {{{{ .Release.Service }}}}\n{m.Groups[1].Value}helm.sh/chart: {{{{ include \"httpserver.chart\" . }}}}");

    [GeneratedRegex(@"^( *)app\.kubernetes\.io/managed-by: kustomize$", RegexOptions.Multiline)]
    private static partial Regex ManagedBy();
}
