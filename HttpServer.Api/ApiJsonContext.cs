using System.Text.Json;
using System.Text.Json.Serialization;

namespace HttpServer.Api;

// Source-generated JSON: no reflection at run time, so the same code runs under NativeAOT.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(DelayResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(ChainResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
