using System.Text.Encodings.Web;
using System.Text.Json;
using HttpServer.AppHost.Kubernetes;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>
/// The Helm chart names each environment ConfigMap with kustomize's content hash, computed by the generator: it must be
/// the suffix the real kustomize (in kubectl) gives the same data, for any value a model can hold.
/// </summary>
public sealed class KustomizeHashTests : IDisposable
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _folder = Directory.CreateTempSubdirectory("kustomize-hash-").FullName;

    public static readonly Dictionary<string, string>[] Cases =
    [
        new() { ["HTTP_PORTS"] = "8080", ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory" },
        new() { ["services__backend__http__0"] = "http://backend:80", ["A"] = "a<b>&c" },
        new() { ["TAB"] = "one\ttwo", ["QUOTE"] = "say \"hi\"", ["BACKSLASH"] = "C:\\temp" },
        new() { ["UNICODE"] = "naïve ü ✓", ["SEPARATORS"] = "line\u2028para\u2029end", ["JSON"] = "{\"k\":[1,2]}" },
        new() { ["EMPTY"] = "", ["b"] = "lower case sorts after upper", ["B"] = "upper" },
        new(),
    ];

    [Fact]
    public async Task The_generators_suffix_is_the_one_kubectl_kustomize_gives_the_same_data()
    {
        var kustomization = new
        {
            configMapGenerator = Cases.Select((data, i) => new { name = $"case{i}", literals = data.Select(e => $"{e.Key}={e.Value}").ToArray() }),
        };
        // JSON is YAML: every value is quoted and escaped unambiguously (non-ASCII as it is, as a user would write it).
        await File.WriteAllTextAsync(Path.Combine(_folder, "kustomization.yaml"),
            JsonSerializer.Serialize(kustomization, RelaxedJson));

        var rendered = await RenderedManifests.RenderAsync(_folder);

        var names = rendered.Objects.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name[..c.Metadata.Name.LastIndexOf('-')], c => c);
        for (var i = 0; i < Cases.Length; i++)
        {
            Assert.Equal(Cases[i], names[$"case{i}"].Data ?? new Dictionary<string, string>());
            Assert.Equal($"case{i}-{KustomizeHash.ConfigMapSuffix(Cases[i])}", names[$"case{i}"].Metadata.Name);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
