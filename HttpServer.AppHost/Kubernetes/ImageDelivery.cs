using k8s;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>One project's image as the manifests name it, and the project that builds it.</summary>
public sealed record ImageBuild(string ProjectPath, ContainerImage Image)
{
    /// <summary>The last part of the repository: <c>httpserver-api</c>; the registry's path goes before it.</summary>
    public string Name => Image.Repository[(Image.Repository.LastIndexOf('/') + 1)..];
}

/// <summary>An image in the registry: the name the manifests used, where it now is, its digest and its SBOM.</summary>
public sealed record DeliveredImage(ContainerImage Image, string Repository, string Digest, string Sbom);

/// <summary>
/// Deploy's first steps, as Aspire's own pipeline does them: build each project's image with the SDK's container support,
/// push it to the configured registry, and keep its digest and a CycloneDX SBOM of what it contains. Not Aspire's
/// <c>IResourceContainerImageManager</c>: it builds into a local Docker or Podman (5.0 or later) and pushes from there,
/// and gives no digest back; the SDK pushes straight to the registry, with no container runtime, and prints the digest.
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

    /// <summary>Publishes and pushes each image, and writes its SBOM into <paramref name="folder"/>; a dry run prints the commands.</summary>
    public static async Task<IReadOnlyList<DeliveredImage>> DeliverAsync(DeployRun run, IReadOnlyList<ImageBuild> builds, KubernetesSettings settings, string folder)
    {
        var registry = settings.Registry.Trim().TrimEnd('/');
        var (host, path) = registry.Split('/', 2) is [var h, var p] ? (h, $"{p}/") : (registry, "");
        var delivered = new List<DeliveredImage>();
        foreach (var build in builds)
        {
            // MSBuild prints the one property asked for, the pushed image's digest, once the push is done.
            var published = await run.RunAsync(new("dotnet",
            [
                "publish", build.ProjectPath, "-c", "Release", "-r", "linux-x64", "-t:PublishContainer", "--nologo",
                $"-p:ContainerRegistry={host}", $"-p:ContainerRepository={path}{build.Name}",
                .. settings.BaseImage.Length == 0 ? Array.Empty<string>() : [$"-p:ContainerBaseImage={settings.BaseImage}"],
                "-getProperty:GeneratedContainerDigest",
            ]));
            // The SBOM lists the project's packages, the .NET part of the image (the tool is pinned in .config/dotnet-tools.json).
            var sbom = $"{build.Name}-{build.Image.Tag}.cdx.json";
            await run.RunAsync(new("dotnet", ["tool", "run", "dotnet-CycloneDX", build.ProjectPath, "--output", folder, "--filename", sbom, "--output-format", "Json"]));
            if (published is not null)
            {
                var digest = published.Split('\n')[^1].Trim();
                delivered.Add(digest.StartsWith("sha256:", StringComparison.Ordinal)
                    ? new(build.Image, $"{host}/{path}{build.Name}", digest, Path.Combine(folder, sbom))
                    : throw new DeployException($"the image was built but no digest came back from the push: {published}"));
                run.Say($"Pushed {delivered[^1].Repository}@{digest}");
            }
        }
        return delivered;
    }

    /// <summary>
    /// The kustomization deploy applies: the published output, with each image replaced by the pushed one pinned by digest.
    /// It lives outside the output folder, which stays what publish wrote.
    /// </summary>
    public static string Overlay(string overlayFolder, string output, IEnumerable<DeliveredImage> images) =>
        "# Written by `aspire deploy`: the published manifests with the images it pushed, by digest.\n" + KubernetesYaml.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = ManifestGenerator.KustomizeApi,
            ["kind"] = "Kustomization",
            ["resources"] = new[] { Path.GetRelativePath(overlayFolder, output).Replace('\\', '/') },
            ["images"] = images.Select(i => new Dictionary<string, string> { ["name"] = i.Image.Repository, ["newName"] = i.Repository, ["digest"] = i.Digest }),
        });
}
