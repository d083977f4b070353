using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>One project's image as the manifests name it, and the project that builds it.</summary>
public sealed record ImageBuild(string ProjectPath, ContainerImage Image);

/// <summary>An image in the registry: the name the manifests used, where it now is, its digest and its SBOM.</summary>
public sealed record DeliveredImage(ContainerImage Image, string Repository, string Digest, string Sbom);

/// <summary>The image one container of a rendered Deployment runs once deploy applies, and whether this deploy built it.</summary>
public sealed record ImagePin(string Deployment, string Container, string Image, bool Built);

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

    /// <summary>What a dry run shows where the pushed image's digest will be.</summary>
    public const string DryRunDigest = "sha256:DIGEST-OF-THE-PUSH";

    /// <summary>
    /// Publishes and pushes each image, and writes its SBOM into <paramref name="folder"/>; a dry run prints the commands. Then
    /// says which images of <paramref name="deployments"/> (the render) come from the registry without this deploy building them.
    /// </summary>
    public static async Task<IReadOnlyList<DeliveredImage>> DeliverAsync(DeployRun run, IReadOnlyList<ImageBuild> builds, KubernetesSettings settings, string folder,
        IEnumerable<V1Deployment> deployments)
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
                $"-p:ContainerRegistry={host}", $"-p:ContainerRepository={path}{build.Image.Name}",
                .. settings.BaseImage.Length == 0 ? Array.Empty<string>() : [$"-p:ContainerBaseImage={settings.BaseImage}"],
                "-getProperty:GeneratedContainerDigest",
            ]));
            // The SBOM lists the project's packages, the .NET part of the image (the tool is pinned in .config/dotnet-tools.json).
            var sbom = $"{build.Image.Name}-{build.Image.Tag}.cdx.json";
            await run.RunAsync(new("dotnet", ["tool", "run", "dotnet-CycloneDX", build.ProjectPath, "--output", folder, "--filename", sbom, "--output-format", "Json"]));
            // A dry run pushes nothing: a placeholder digest, so that it prints the apply a real run makes (overlay, Helm values).
            var digest = published is null ? DryRunDigest : published.Split('\n')[^1].Trim();
            delivered.Add(digest.StartsWith("sha256:", StringComparison.Ordinal)
                ? new(build.Image, $"{host}/{path}{build.Image.Name}", digest, Path.Combine(folder, sbom))
                : throw new DeployException($"the image was built but no digest came back from the push: {published}"));
            run.Say($"{(run.IsDry ? "Would push" : "Pushed")} {delivered[^1].Repository}@{digest}");
        }
        foreach (var pin in Pins(deployments, delivered).Where(p => !p.Built))
        {
            run.Say($"{pin.Deployment} runs {pin.Image}, which this deploy did not build (a canary is another commit's build): the registry must hold it already");
        }
        return delivered;
    }

    /// <summary>
    /// What each container of the rendered Deployments runs after deploy. One naming the tag deploy built runs the pushed image
    /// by its digest. One naming another tag of a built repository (a canary: another commit's build) runs that tag from the
    /// registry deploy pushed to. Any other (the dashboard) is left as it is.
    /// </summary>
    public static IReadOnlyList<ImagePin> Pins(IEnumerable<V1Deployment> deployments, IEnumerable<DeliveredImage> images) =>
    [
        .. from deployment in deployments
           from container in deployment.Spec.Template.Spec.Containers
           let named = Named(container.Image)
           from image in images
           where image.Image.Repository == named.Repository
           let built = image.Image.Tag == named.Tag
           select new ImagePin(deployment.Metadata.Name, container.Name, built ? $"{image.Repository}@{image.Digest}" : $"{image.Repository}:{named.Tag}", built),
    ];

    /// <summary>An image reference as the manifests write it, <c>repository:tag</c> (no tag: Kubernetes' <c>latest</c>).</summary>
    private static ContainerImage Named(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? new(reference[..colon], reference[(colon + 1)..]) : new(reference, "latest");
    }

    /// <summary>
    /// The kustomization deploy applies: the published output, with each container's image as <see cref="Pins"/> says, by a
    /// strategic merge patch per Deployment (the container found by its name). Not kustomize's <c>images:</c>, which matches
    /// by repository only: a canary's other tag would get the stable image's digest. It lives outside the output folder,
    /// which stays what publish wrote.
    /// </summary>
    public static string Overlay(string overlayFolder, string output, IEnumerable<DeliveredImage> images, IEnumerable<V1Deployment> deployments) =>
        "# Written by `aspire deploy`: the published manifests with the images it pushed, by digest, and other tags of their repositories from its registry.\n"
        + KubernetesYaml.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = ManifestGenerator.KustomizeApi,
            ["kind"] = "Kustomization",
            ["resources"] = new[] { Path.GetRelativePath(overlayFolder, output).Replace('\\', '/') },
            ["patches"] = Pins(deployments, images).GroupBy(p => p.Deployment).Select(d => new Dictionary<string, string>
            {
                ["patch"] = KubernetesYaml.Serialize(new V1Deployment
                {
                    Metadata = new V1ObjectMeta { Name = d.Key },
                    Spec = new V1DeploymentSpec
                    {
                        Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [.. d.Select(p => new V1Container { Name = p.Container, Image = p.Image })] } },
                    },
                }.Typed()),
            }),
        });
}
