using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>The chart's values.schema.json, written from its values and what was placed where.</summary>
internal sealed partial class HelmTemplate
{
    private readonly Dictionary<string, JsonObject> _fieldSchemas = [];

    /// <summary>
    /// values.schema.json, from the values themselves: Helm refuses a misspelt key (<c>services.backend.minReplica</c>) or a
    /// value of the wrong type (<c>image.tag=2</c> without <c>--set-string</c>) before it renders, naming it.
    /// </summary>
    public string WriteSchema()
    {
        var schema = Schema(Values, "");
        schema.Insert(0, "$schema", "http://json-schema.org/draft-07/schema#");
        schema.Insert(1, "$comment", ManifestWriter.GeneratedHeader[2..]);
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n");
    }

    private JsonObject Schema(JsonNode? node, string path) => node switch
    {
        JsonObject when _fieldSchemas.TryGetValue(path, out var field) => (JsonObject)field.DeepClone(),
        JsonObject o => new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Schema(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")))),
        },
        JsonValue v => new JsonObject
        {
            ["type"] = v.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => JsonSerializer.SerializeToElement(v).TryGetInt64(out _) ? "integer" : "number",
            },
        },
        _ => [],
    };

    private void RecordSchema(string valuesPath, JsonNode value)
    {
        if (value is JsonObject fields)
        {
            // A Kubernetes field's object (resources, a probe): its shape is the API server's to check. A map of strings
            // (a ConfigMap's data) stays one: a number there would be refused by the API server, after the render.
            _fieldSchemas[valuesPath] = fields.All(f => f.Value?.GetValueKind() == JsonValueKind.String)
                ? new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } }
                : new JsonObject { ["type"] = "object" };
        }
    }
}
