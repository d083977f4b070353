#pragma warning disable ASPIREPIPELINES001 // Pipeline steps are experimental in Aspire 13.
using Aspire.Hosting.Pipelines;
using HttpServer.AppHost.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// <c>aspire deploy</c> and <c>aspire destroy</c>. Deploy, in order (docs/operations.md lists each step's command): check that
/// a cluster answers; render what will be applied; ask the cluster for what those objects need (preflight); build and push
/// each image, with its SBOM; create a placeholder TLS Secret where nothing else will; apply, with the images pinned by
/// digest; wait for the rollouts; delete what the output can hold and the apply no longer does (kustomize: a component
/// switched off); say where the app answers. Destroy deletes everything the output can hold.
/// </summary>
public static partial class KubernetesDeploySteps
{
    public const string DeployStep = "kubernetes-deploy";
    public const string DestroyStep = "kubernetes-destroy";

    public static IDistributedApplicationBuilder AddKubernetesDeployment(this IDistributedApplicationBuilder builder)
    {
        // Both regenerate first: what is applied or deleted is always what the model says now.
        builder.Pipeline.AddStep(DeployStep, context => RunAsync(context, builder, deploy: true),
            dependsOn: KubernetesManifestsStep.StepName, requiredBy: WellKnownPipelineSteps.Deploy);
        builder.Pipeline.AddStep(DestroyStep, context => RunAsync(context, builder, deploy: false),
            dependsOn: KubernetesManifestsStep.StepName, requiredBy: WellKnownPipelineSteps.Destroy);
        return builder;
    }

    private static async Task RunAsync(PipelineStepContext context, IDistributedApplicationBuilder builder, bool deploy)
    {
        var output = KubernetesManifestsStep.OutputDirectory(context.Services, builder.AppHostDirectory);
        try
        {
            var options = SettingsBinding.Deploy(context.Services.GetRequiredService<IConfiguration>());
            options.ValuesFile = options.ValuesFile.Length == 0 ? "" : Path.GetFullPath(options.ValuesFile, builder.AppHostDirectory);
            options.Validate();
            // What the manifests step (this step's dependency) read and wrote, used as it is.
            var (settings, services, set) = context.Services.GetRequiredService<PublishedModel>().Published;
            var builds = ImageBuilds(context.Model);
            if (deploy && options.BuildImage && settings.Registry.Trim().Length == 0)
            {
                throw new DeployException(ImageDelivery.NoRegistry(builds));
            }
            var run = new DeployRun(context.Logger, options.DryRun, context.CancellationToken);
            if (await run.AskClusterAsync(DeployCommands.ClusterCheck(options)) is { ExitCode: not 0 } answer)
            {
                throw new DeployException($"no cluster answers for this kube context (KUBECONFIG, --Kubernetes:Deploy:Context); nothing was changed. {answer.Errors}");
            }
            var summary = $"Deleted what deploy created in namespace {options.Namespace}";
            // Deploy's own files (its overlays of the output, the SBOMs) go beside the AppHost's build output, not into the published folder.
            var workFolder = Path.Combine(builder.AppHostDirectory, "obj", "deploy", Path.GetFileName(output));
            if (deploy)
            {
                summary = Summary(options, settings, services, await DeployAsync(run, options, settings, output, workFolder, builds, set));
            }
            else
            {
                await run.RunAsync(DeployCommands.Destroy(options, options.UsesHelm ? [] : await RemovableAsync(run, options, set, output, workFolder, [])));
            }
            summary = options.DryRun ? $"Dry run: {summary}" : summary;
            run.Say(summary); // the CLI shows the step's completion; a plain `dotnet run` of the step only its log
            await context.ReportingStep.CompleteAsync(summary, CompletionState.Completed, context.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The host stops with exit code 0 when a step throws: a failed deploy must not look like success.
            Environment.ExitCode = 1;
            LogFailed(context.Logger, deploy ? "Deploy" : "Destroy", ex.Message);
            throw;
        }
    }

    private static async Task<IReadOnlyList<DeliveredImage>> DeployAsync(DeployRun run, DeployOptions options, KubernetesSettings settings, string output,
        string workFolder, IReadOnlyList<ImageBuild> builds, ObjectSet set)
    {
        var objects = RenderedObjects.Parse(await run.RenderAsync(DeployCommands.Render(options, output)));
        if (options.Preflight)
        {
            await ClusterPreflight.RunAsync(run, ClusterPreflight.Prerequisites(objects, options));
        }
        IReadOnlyList<string> removed = options.UsesHelm ? [] : await RemovableAsync(run, options, set, output, workFolder, objects);
        Directory.CreateDirectory(workFolder);
        var delivered = options.BuildImage ? await ImageDelivery.DeliverAsync(run, builds, settings, workFolder, objects.OfType<V1Deployment>()) : [];
        await TlsPlaceholder.EnsureAsync(run, options, TlsPlaceholder.Certificates(objects));
        var applied = output;
        if (!options.UsesHelm && delivered.Count > 0)
        {
            applied = workFolder;
            await File.WriteAllTextAsync(Path.Combine(workFolder, "kustomization.yaml"), ImageDelivery.Overlay(workFolder, output, delivered, objects.OfType<V1Deployment>()));
        }
        // Every Deployment the render holds is waited for: the services', and a canary's or the dashboard's when switched on.
        foreach (var command in DeployCommands.Deploy(options, applied, objects.OfType<V1Deployment>().Select(d => d.Metadata.Name), delivered, removed))
        {
            await run.RunAsync(command);
        }
        return delivered;
    }

    /// <summary>
    /// kustomize's apply removes nothing: what the output can hold and <paramref name="kept"/> does not, as kubectl names it,
    /// dependents first (kustomize's order reversed, as helm uninstall). What the output can hold: a render with every optional
    /// component and one with none (a component may remove a production object: the gateway the Ingress). A kind the
    /// cluster does not serve (its CRD not installed) is left out: kubectl would refuse the whole delete for it.
    /// </summary>
    private static async Task<IReadOnlyList<string>> RemovableAsync(DeployRun run, DeployOptions options, ObjectSet set, string output, string workFolder,
        IEnumerable<object> kept)
    {
        var known = kept.Select(RenderedObjects.Reference).ToHashSet(StringComparer.Ordinal);
        var removable = new List<string>();
        foreach (var (name, components) in new[] { ("every-component", set.Components), ("no-component", []) })
        {
            var folder = Path.Combine(workFolder, name);
            Directory.CreateDirectory(folder);
            var root = Path.GetRelativePath(folder, output).Replace('\\', '/') + "/";
            await File.WriteAllTextAsync(Path.Combine(folder, "kustomization.yaml"), $"# Written by `aspire deploy`: the output with {name.Replace('-', ' ')}, rendered (never applied) for what the output can hold.\n"
                + KubernetesYaml.Serialize(ManifestGenerator.Kustomization(set, components, root)));
            foreach (var item in RenderedObjects.Parse(await run.RenderAsync(DeployCommands.Render(options, folder))).Reverse())
            {
                var reference = RenderedObjects.Reference(item);
                if (known.Add(reference) && await ClusterPreflight.ServesKindAsync(run, options, item))
                {
                    removable.Add(reference);
                }
            }
        }
        return removable;
    }

    /// <summary>One image per project file, named as the manifests name it.</summary>
    private static IReadOnlyList<ImageBuild> ImageBuilds(DistributedApplicationModel model) =>
    [
        .. model.Resources.OfType<ProjectResource>()
            .Select(p => p.GetProjectMetadata().ProjectPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(path => new ImageBuild(path, ContainerImageSettings.Read(Path.GetFileNameWithoutExtension(path), path).Image)),
    ];

    /// <summary>Where the app answers (the Ingress of each external service, and a port-forward that works without one), and what runs.</summary>
    private static string Summary(DeployOptions options, KubernetesSettings settings, IEnumerable<ServiceDescription> services, IReadOnlyList<DeliveredImage> delivered)
    {
        var external = services.Where(s => s.IsExternal).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var context = string.IsNullOrWhiteSpace(options.Context) ? "" : $" --context {options.Context}";
        var where = external.Count == 0
            ? $"Deployed to namespace {options.Namespace}; no service is external"
            : $"Deployed to namespace {options.Namespace}: the app answers at https://{settings.IngressHost}/ ("
              + (settings.Gateway.Enabled ? $"the Gateway, class {settings.Gateway.ClassName}" : $"Ingress class {settings.IngressClass}")
              + $", once DNS points at it{(options.ValuesFile.Length > 0 ? "; a host in the values file wins" : "")}), or after "
              + $"`kubectl{context} --namespace {options.Namespace} port-forward service/{external[0]} 8080:80` at http://localhost:8080/";
        return where + string.Concat(delivered.Select(i => $"; image {i.Repository}@{i.Digest} (SBOM {i.Sbom})"));
    }

    [LoggerMessage(21, LogLevel.Error, "{What} stopped: {Reason}")]
    private static partial void LogFailed(ILogger logger, string what, string reason);
}
