using System.Text.Json;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>One project's image as the manifests name it, and the project that builds it.</summary>
public sealed record ImageBuild(string ProjectPath, ContainerImage Image);

/// <summary>An image in the registry: the name the manifests used, where it now is, its digest and its SBOM.</summary>
public sealed record DeliveredImage(ContainerImage Image, string Repository, string Digest, string Revision, string Sbom)
{
    /// <summary>What a pod pulls: the pushed repository pinned by digest, so a moved tag cannot change a running release.</summary>
    public string Reference => $"{Repository}@{Digest}";
}

/// <summary>
/// Deploy's first steps, as Aspire's own pipeline does them: build each project's image with the SDK's container support,
/// push it to the configured registry, and read back its digest and a CycloneDX SBOM of what it contains. Pure command
/// lines and parsers; the step runs them.
/// </summary>
public static class ImageDelivery
{
    /// <summary>The message when no registry is named: deploy stops before anything is applied.</summary>
    public static string NoRegistry(IEnumerable<ImageBuild> builds) =>
        "no registry to push the image to: name one with --Kubernetes:Registry=HOST[:PORT][/PATH] (e.g. ghcr.io/acme, localhost:5001). "
        + "A local cluster without a registry can load the image instead: "
        + string.Join(" and ", builds.Select(b => $"`dotnet publish {b.ProjectPath} -c Release -t:PublishContainer`, then "
            + $"`kind load docker-image {b.Image}` (or `minikube image load {b.Image}`)"))
        + ", then deploy with --Kubernetes:Deploy:BuildImage=false (the manifests name that tag).";

    /// <summary>Publishes the project's image to the registry; MSBuild prints the properties asked for as JSON.</summary>
    public static CommandLine Publish(ImageBuild build, KubernetesSettings settings)
    {
        var (host, repository) = Pushed(build, settings);
        return new CommandLine("dotnet",
        [
            "publish", build.ProjectPath, "-c", "Release", "-r", "linux-x64", "-t:PublishContainer", "--nologo",
            $"-p:ContainerRegistry={host}", $"-p:ContainerRepository={repository}",
            .. settings.BaseImage.Length == 0 ? Array.Empty<string>() : [$"-p:ContainerBaseImage={settings.BaseImage}"],
            "-getProperty:GeneratedContainerDigest", "-getProperty:SourceRevisionId", "-getProperty:PublishDir",
        ]);
    }

    /// <summary>A CycloneDX SBOM of the project's dependencies (the tool is pinned in .config/dotnet-tools.json).</summary>
    public static CommandLine Sbom(ImageBuild build, string folder) => new("dotnet",
        ["tool", "run", "dotnet-CycloneDX", build.ProjectPath, "--output", folder, "--filename", SbomFileName(build), "--output-format", "Json"]);

    public static string SbomFileName(ImageBuild build) => $"{RepositoryName(build.Image)}-{build.Image.Tag}.cdx.json";

    /// <summary>Reads <c>dotnet publish -getProperty</c>'s JSON: the pushed digest, the commit and the publish folder.</summary>
    public static (string Digest, string Revision, string PublishDir) ReadPublishOutput(string json)
    {
        try
        {
            var start = json.IndexOf('{', StringComparison.Ordinal);
            using var document = JsonDocument.Parse(start < 0 ? json : json[start..]);
            var properties = document.RootElement.GetProperty("Properties");
            string Get(string name) => properties.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
            var digest = Get("GeneratedContainerDigest");
            return digest.StartsWith("sha256:", StringComparison.Ordinal)
                ? (digest, Get("SourceRevisionId"), Get("PublishDir"))
                : throw new DeployException($"the image was built but no digest came back from the push: {json.Trim()}");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DeployException($"could not read the image's digest from dotnet publish: {json.Trim()}");
        }
    }

    /// <summary>
    /// The kustomization deploy applies: the published output, with each image replaced by the pushed one pinned by digest.
    /// It lives outside the output folder, which stays what publish wrote.
    /// </summary>
    public static string Overlay(string overlayFolder, string output, IEnumerable<DeliveredImage> images)
    {
        var lines = new List<string>
        {
            "# Written by `aspire deploy`: the published manifests with the images it pushed, by digest.",
            "apiVersion: kustomize.config.k8s.io/v1beta1",
            "kind: Kustomization",
            "resources:",
            $"- {Path.GetRelativePath(overlayFolder, output).Replace('\\', '/')}",
            "images:",
        };
        foreach (var image in images.OrderBy(i => i.Image.Repository, StringComparer.Ordinal))
        {
            lines.AddRange([$"- name: {image.Image.Repository}", $"  newName: {image.Repository}", $"  digest: {image.Digest}"]);
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Where the image goes: the registry host, and the repository path on it.</summary>
    public static (string Host, string Repository) Pushed(ImageBuild build, KubernetesSettings settings)
    {
        var (host, path) = settings.Registry.Trim().TrimEnd('/').Split('/', 2) is [var h, var p] ? (h, p) : (settings.Registry.Trim(), "");
        return (host, path.Length == 0 ? RepositoryName(build.Image) : $"{path}/{RepositoryName(build.Image)}");
    }

    private static string RepositoryName(ContainerImage image) => image.Repository[(image.Repository.LastIndexOf('/') + 1)..];
}
