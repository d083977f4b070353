using HttpServer.Conformance.Tests.Kubelet;
using HttpServer.Conformance.Tests.Manifests;
using HttpServer.Testing;

namespace HttpServer.Conformance.Tests.Emulation;

public sealed class EnvironmentResolverTests
{
    private const string Yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: env, namespace: shop }
        data: { VERSION: "1.0.0", LEVEL: Information }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: api, namespace: shop }
        spec:
          selector: { matchLabels: { app: api } }
          template:
            metadata: { labels: { app: api } }
            spec:
              containers:
                - name: api
                  image: httpserver-api:1.0.0
                  envFrom: [{ configMapRef: { name: env } }]
                  env:
                    - { name: LEVEL, value: Debug }
                    - { name: POD, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
                    - { name: GREETING, value: "v$(VERSION) on $(POD), $$(POD)" }
                    - { name: FROM_KEY, valueFrom: { configMapKeyRef: { name: env, key: VERSION } } }
        """;

    [Fact]
    public void Resolve_applies_envFrom_then_env_with_references_and_expansion_as_the_kubelet_does()
    {
        var manifests = RenderedManifests.Parse(Yaml);
        var template = PodTemplate.AllForImage(manifests, "httpserver-api").Single();

        var environment = template.Environment(new PodIdentity("api-abc12", "uid"));

        Assert.Equal("1.0.0", environment["VERSION"]);
        Assert.Equal("Debug", environment["LEVEL"]);
        Assert.Equal("api-abc12", environment["POD"]);
        Assert.Equal("v1.0.0 on api-abc12, $(POD)", environment["GREETING"]);
        Assert.Equal("1.0.0", environment["FROM_KEY"]);
    }
}
