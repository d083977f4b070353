using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HttpServer.Kubernetes.Tests.Infrastructure;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Kubernetes.Tests;

/// <summary>Kubernetes' recommended labels on every object, selectors that survive a release, and one source for the version.</summary>
[Collection(RenderedManifestsGroup.Name)]
public sealed partial class LabelAndVersionTests(RenderedManifestsFixture rendered)
{
    private static readonly string[] RecommendedLabels =
    [
        "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
        "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
    ];

    [Fact]
    public void Every_object_carries_the_recommended_labels()
    {
        Assert.NotEmpty(rendered.Manifests.Objects);
        Assert.NotEmpty(rendered.Manifests.Deployments);
        Assert.All(rendered.Manifests.Objects.Cast<IMetadata<V1ObjectMeta>>(), o =>
            Assert.All(RecommendedLabels, label => Assert.True(o.Metadata.Labels?.ContainsKey(label) == true, $"{o.Metadata.Name} lacks {label}")));
        Assert.All(rendered.Manifests.Deployments, d => Assert.All(RecommendedLabels, l => Assert.Contains(l, d.Spec.Template.Metadata.Labels.Keys)));
    }

    [Fact]
    public void No_selector_holds_the_version()
    {
        // Every label selector of the rendered objects, wherever it is: a JSON walk finds them all.
        var selectors = rendered.Manifests.Objects.SelectMany(o => Selectors(JsonSerializer.SerializeToElement(o, o.GetType(), Json))).ToList();

        Assert.True(selectors.Count >= 10, $"only {selectors.Count} selectors found");
        Assert.All(selectors, s => Assert.DoesNotContain("app.kubernetes.io/version", s));
        Assert.All(rendered.Manifests.Deployments, d => Assert.Equal(
            ["app.kubernetes.io/instance", "app.kubernetes.io/name"], d.Spec.Selector.MatchLabels.Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void The_image_tag_VERSION_and_the_version_label_all_are_the_projects_Version()
    {
        var project = XDocument.Load(Path.Combine(RepositoryPaths.Root, "HttpServer.Api", "HttpServer.Api.csproj"));
        var version = project.Descendants("Version").Single().Value;

        Assert.Equal("$(Version)", project.Descendants("ContainerImageTag").Single().Value); // the SDK's default is "latest"
        Assert.NotEmpty(rendered.Manifests.Deployments);
        foreach (var deployment in rendered.Manifests.Deployments)
        {
            Assert.EndsWith(":" + version, deployment.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
            Assert.Equal(version, deployment.Metadata.Labels["app.kubernetes.io/version"]);
            Assert.Equal(version, Assert.Single(deployment.Spec.Template.Spec.Containers[0].Env, e => e.Name == "VERSION").Value);
        }
    }

    [Fact]
    public void No_hand_kept_deployment_file_repeats_a_version_number()
    {
        var handKept = Directory.EnumerateFiles(GeneratedOutput.Assets, "*", SearchOption.AllDirectories)
            .Append(Path.Combine(RepositoryPaths.Root, "HttpServer.AppHost", "appsettings.json")).ToList();

        Assert.True(handKept.Count >= 4, string.Join(", ", handKept));
        Assert.All(handKept, file => Assert.DoesNotMatch(VersionNumber(), File.ReadAllText(file)));
    }

    private static IEnumerable<string[]> Selectors(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name is "matchLabels" or "selector" && property.Value.ValueKind == JsonValueKind.Object
                    && property.Value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    yield return [.. property.Value.EnumerateObject().Select(p => p.Name)];
                }
                foreach (var inner in Selectors(property.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray().SelectMany(Selectors))
            {
                yield return item;
            }
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex(@"\b\d+\.\d+\.\d+\b")]
    private static partial Regex VersionNumber();
}
