using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The content-hash suffix kustomize's configMapGenerator appends to a ConfigMap's name (api/hasher), so that the Helm
/// chart names its environment ConfigMaps as the kustomize output does and a changed environment rolls the pods under
/// Helm too. kustomize hashes Go's JSON of {"data", "kind", "name"} with sorted keys, where the name is always empty
/// (it looks up "metadata/name" as one field name); then the first 10 hex digits of the SHA-256, with 0, 1, 3, a and e
/// swapped for consonants so that no word forms.
/// </summary>
public static class KustomizeHash
{
    public static string ConfigMapSuffix(IReadOnlyDictionary<string, string> data)
    {
        // No data at all is looked up as a missing field, which kustomize reads as "".
        var json = new StringBuilder(data.Count == 0 ? "{\"data\":\"\"" : "{\"data\":{");
        var first = true;
        foreach (var (key, value) in data.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.Append(first ? "" : ",").Append(GoJsonString(key)).Append(':').Append(GoJsonString(value));
            first = false;
        }
        json.Append(data.Count == 0 ? "" : "}").Append(",\"kind\":\"ConfigMap\",\"name\":\"\"}");
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString())))[..10];
        return string.Concat(hex.Select(c => c switch { '0' => 'g', '1' => 'h', '3' => 'k', 'a' => 'm', 'e' => 't', _ => c }));
    }

    /// <summary>A string as Go's encoding/json writes it: HTML-safe, other characters as they are.</summary>
    private static string GoJsonString(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029' => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }
}
