using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// Objects as JSON, with Helm references placed into their fields: <see cref="Place"/> moves a field's value into
/// values.yaml and leaves a reference to it, so that `helm template` with the defaults gives back the object as it was.
/// The YAML writer quotes what it writes; a reference must reach Helm unquoted (a number stays a number), so each one is
/// a plain placeholder word until the text is written.
/// </summary>
internal sealed partial class HelmTemplate
{
    private readonly List<string> _expressions = [];
    private readonly List<(IReadOnlyList<JsonNode> Items, string Condition)> _gates = [];

    public JsonObject Values { get; } = [];

    public static JsonNode ToJson(object value) => JsonNode.Parse(KubernetesJson.Serialize(value))!;

    /// <summary>A field value that Helm computes: <paramref name="expression"/> is the whole action, <c>{{ ... }}</c>.</summary>
    public JsonNode Expression(string expression)
    {
        _expressions.Add(expression);
        return JsonValue.Create($"helm-expression-{_expressions.Count - 1}-end")!;
    }

    /// <summary>
    /// Puts <paramref name="value"/> (by default the field's own) at <paramref name="valuesPath"/> in values.yaml and a
    /// reference to it (<paramref name="reference"/>, piped through <paramref name="pipe"/>) in the field.
    /// </summary>
    public void Place(JsonObject parent, string field, string valuesPath, string reference, string pipe = "toJson", JsonNode? value = null)
    {
        value ??= parent[field]!.DeepClone();
        Default(valuesPath, value);
        RecordSchema(valuesPath, value);
        parent[field] = Expression($"{{{{ {reference} | {pipe} }}}}");
    }

    /// <summary>Puts <paramref name="value"/> at <paramref name="valuesPath"/> in values.yaml, unless a value is there already.</summary>
    public void Default(string valuesPath, JsonNode value)
    {
        var node = Values;
        var keys = valuesPath.Split('.');
        foreach (var key in keys[..^1])
        {
            node = node[key] as JsonObject ?? (JsonObject)(node[key] = new JsonObject());
        }
        node[keys[^1]] ??= value;
    }

    /// <summary>List items that are there while <paramref name="condition"/> holds: put the returned node in the list.</summary>
    public JsonNode Gate(IReadOnlyList<JsonNode> items, string condition)
    {
        _gates.Add((items, condition));
        return JsonValue.Create($"helm-gate-{_gates.Count - 1}-end")!;
    }

    /// <summary>Helm manages the release: managed-by says so, helm.sh/chart names the chart, and the version follows the image tag.</summary>
    public void Labels(JsonNode node, string? tag)
    {
        var ours = Descendants(node).OfType<JsonObject>().Select(o => o["labels"]).OfType<JsonObject>().Where(l => l.ContainsKey(KubernetesLabels.ManagedBy));
        foreach (var labels in ours)
        {
            labels[KubernetesLabels.ManagedBy] = Expression("{{ .Release.Service }}");
            labels["helm.sh/chart"] = Expression("{{ include \"httpserver.chart\" . }}");
            if (tag is not null && (string?)labels[KubernetesLabels.Version] == tag)
            {
                labels[KubernetesLabels.Version] = Expression("{{ .Values.image.tag | toJson }}");
            }
        }
    }

    /// <summary>The node and every node under it, gathered before the caller changes any.</summary>
    public static IReadOnlyList<JsonNode> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => [o, .. o.SelectMany(p => Descendants(p.Value))],
        JsonArray a => [a, .. a.SelectMany(Descendants)],
        null => [],
        _ => [node],
    };

    /// <summary>
    /// The template text: the objects as YAML documents (each, given a condition, there while it holds), each reference in
    /// place, other template braces escaped.
    /// </summary>
    public string Write(IEnumerable<(JsonNode Document, string? Condition)> documents)
    {
        var text = string.Join("\n---\n", documents.Select(d => d.Condition is null ? Yaml(d.Document) : $"{{{{- if {d.Condition} }}}}\n{Yaml(d.Document)}\n{{{{- end }}}}"));
        // Gated list items: their own YAML under `{{- if }}`, at the indentation of the line that held the placeholder.
        text = GatePlaceholder().Replace(text, m =>
        {
            var (items, condition) = _gates[int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)];
            var indent = m.Groups[1].Value;
            var lines = items.Select(i => $"{indent}- {Yaml(i).Replace("\n", $"\n{indent}  ", StringComparison.Ordinal)}");
            return $"{indent}{{{{- if {condition} }}}}\n{string.Join('\n', lines)}\n{indent}{{{{- end }}}}";
        });
        for (var i = _expressions.Count - 1; i >= 0; i--)
        {
            text = text.Replace($"helm-expression-{i}-end", _expressions[i], StringComparison.Ordinal);
        }
        return text;
    }

    private static string Yaml(JsonNode node) => KubernetesYaml.Serialize(Plain(node, escape: true)).ReplaceLineEndings("\n").TrimEnd('\n');

    [GeneratedRegex(@"^( *)- helm-gate-(\d+)-end$", RegexOptions.Multiline)]
    private static partial Regex GatePlaceholder();

    /// <summary>values.yaml: plain YAML, no template.</summary>
    public string WriteValues() => KubernetesYaml.Serialize(Plain(Values, escape: false)).ReplaceLineEndings("\n");

    /// <summary>
    /// JSON as the maps, lists and scalars YamlDotNet writes. A string's own <c>{{</c> (an alert's <c>{{ $labels }}</c>,
    /// a dashboard legend) is escaped, so that Helm writes it as it is instead of running it.
    /// </summary>
    private static object? Plain(JsonNode? node, bool escape) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value, escape)),
        JsonArray a => a.Select(n => Plain(n, escape)).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String when escape => v.GetValue<string>().Replace("{{", "{{`{{`}}", StringComparison.Ordinal),
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            _ => JsonSerializer.SerializeToElement(v) is var number && number.TryGetInt64(out var l) ? (object)l : number.GetDouble(),
        },
        _ => null,
    };
}
