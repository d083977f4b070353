namespace HttpServer.AppHost.Kubernetes;

/// <summary>A ConfigMap a component generates from files (each file a key), under a fixed name.</summary>
public sealed record GeneratedConfigMap(string Name, IReadOnlyList<string> Files, IReadOnlyDictionary<string, string> Labels);
