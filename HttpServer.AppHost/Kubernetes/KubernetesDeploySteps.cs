#pragma warning disable ASPIREPIPELINES001 // Pipeline steps are experimental in Aspire 13.
using Aspire.Hosting.Pipelines;
using HttpServer.AppHost.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// <c>aspire deploy</c> and <c>aspire destroy</c>. Deploy, in order (docs/operations.md lists each step's command): check that
/// a cluster answers; render what will be applied; ask the cluster for what those objects need (preflight); build and push
/// each image, with its SBOM; create a placeholder TLS Secret where nothing else will; apply, with the images pinned by
/// digest; wait for the rollouts; say where the app answers. Destroy deletes the same objects.
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
        var configuration = context.Services.GetRequiredService<IConfiguration>();
        var options = configuration.GetSection("Kubernetes:Deploy").Get<DeployOptions>() ?? new DeployOptions();
        var production = KubernetesManifestsStep.Settings(context.Services);
        var output = KubernetesManifestsStep.OutputDirectory(context.Services, builder.AppHostDirectory);
        try
        {
            options.Validate();
            var run = new DeployRun(context.Logger, options.DryRun, context.CancellationToken);
            var services = await AppModelReader.ReadAsync(context.Model, context.ExecutionContext, context.CancellationToken, production);
            var builds = ImageBuilds(context.Model);
            if (deploy && options.BuildImage && production.Registry.Trim().Length == 0)
            {
                throw new DeployException(ImageDelivery.NoRegistry(builds));
            }
            RequireInput(options, output);
            await CheckClusterAsync(run, options);
            string summary;
            if (deploy)
            {
                var workFolder = Path.Combine(builder.AppHostDirectory, "obj", "deploy", Path.GetFileName(output));
                var delivered = await DeployAsync(run, options, output, workFolder, builds, production);
                summary = DeployedSummary(options, production, services, delivered);
            }
            else
            {
                foreach (var command in DeployCommands.Destroy(options, output))
                {
                    await run.RunAsync(command);
                }
                summary = $"Deleted what deploy created in namespace {options.Namespace}";
            }
            summary = options.DryRun ? $"Dry run: {summary}" : summary;
            run.Say(summary); // the CLI shows the step's completion; a plain `dotnet run` of the step only its log
            await context.ReportingStep.CompleteAsync(summary, CompletionState.Completed, context.CancellationToken);
        }
        catch (Exception ex) when (ex is DeployException or ManifestGenerationException)
        {
            // The host stops with exit code 0 when a step throws: a failed deploy must not look like success.
            Environment.ExitCode = 1;
            LogFailed(context.Logger, deploy ? "Deploy" : "Destroy", ex.Message);
            throw;
        }
    }

    private static async Task<IReadOnlyList<DeliveredImage>> DeployAsync(DeployRun run, DeployOptions options, string output, string workFolder,
        IReadOnlyList<ImageBuild> builds, KubernetesSettings settings)
    {
        var objects = RenderedObjects.Parse(await run.RenderAsync(DeployCommands.Render(options, output)));
        if (options.Preflight)
        {
            await DeployPreflight.RunAsync(run, ClusterPreflight.Prerequisites(objects, options));
        }
        var delivered = options.BuildImage ? await DeployImages.DeliverAsync(run, builds, settings) : [];
        await DeployTls.EnsureAsync(run, options, TlsPlaceholder.Certificates(objects), workFolder);
        var applied = output;
        if (!options.UsesHelm && delivered.Count > 0)
        {
            applied = workFolder;
            Directory.CreateDirectory(workFolder);
            await File.WriteAllTextAsync(Path.Combine(workFolder, "kustomization.yaml"), ImageDelivery.Overlay(workFolder, output, delivered));
        }
        // Every Deployment the render holds is waited for: the services', and a canary's or the dashboard's when switched on.
        var deployments = objects.OfType<k8s.Models.V1Deployment>().Select(d => d.Metadata.Name);
        foreach (var command in DeployCommands.Deploy(options, applied, deployments, delivered))
        {
            await run.RunAsync(command);
        }
        return delivered;
    }

    /// <summary>One image per project file, named as the manifests name it.</summary>
    private static IReadOnlyList<ImageBuild> ImageBuilds(DistributedApplicationModel model) =>
    [
        .. model.Resources.OfType<ProjectResource>()
            .Select(p => p.GetProjectMetadata().ProjectPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(path => new ImageBuild(path, ContainerImageSettings.Read(Path.GetFileNameWithoutExtension(path), path).Image)),
    ];

    private static async Task CheckClusterAsync(DeployRun run, DeployOptions options)
    {
        try
        {
            await run.RunAsync(DeployCommands.ClusterCheck(options));
        }
        catch (DeployException ex) when (!ex.Message.Contains("was not found", StringComparison.Ordinal))
        {
            throw new DeployException($"no cluster answers for this kube context (KUBECONFIG, --Kubernetes:Deploy:Context); nothing was changed. {ex.Message}");
        }
    }

    private static void RequireInput(DeployOptions options, string output)
    {
        var needed = options.UsesHelm ? Path.Combine(output, HelmChartGenerator.Folder, "Chart.yaml") : Path.Combine(output, "kustomization.yaml");
        if (!File.Exists(needed))
        {
            throw new DeployException($"{needed} is missing: the manifests step did not write it");
        }
    }

    /// <summary>Where the app answers (the Ingress of each external service, and a port-forward that works without one), and what runs.</summary>
    private static string DeployedSummary(DeployOptions options, KubernetesSettings production, IEnumerable<ServiceDescription> services,
        IReadOnlyList<DeliveredImage> delivered)
    {
        var external = services.Where(s => s.IsExternal).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var context = string.IsNullOrWhiteSpace(options.Context) ? "" : $" --context {options.Context}";
        var where = external.Count == 0
            ? $"Deployed to namespace {options.Namespace}; no service is external"
            : $"Deployed to namespace {options.Namespace}: the app answers at https://{production.IngressHost}/ (Ingress class "
              + $"{production.IngressClass}, once DNS points at the ingress controller), or after "
              + $"`kubectl{context} --namespace {options.Namespace} port-forward service/{external[0]} 8080:80` at http://localhost:8080/";
        return where + string.Concat(delivered.Select(i => $"; image {i.Reference} (commit {i.Revision}, SBOM {i.Sbom})"));
    }

    [LoggerMessage(21, LogLevel.Error, "{What} stopped: {Reason}")]
    private static partial void LogFailed(ILogger logger, string what, string reason);
}
