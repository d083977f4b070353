#pragma warning disable ASPIREPIPELINES001 // Pipeline steps are experimental in Aspire 13.
using Aspire.Hosting.Pipelines;
using HttpServer.AppHost.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// <c>aspire deploy</c> and <c>aspire destroy</c>: apply the generated output to the configured kube context (kustomize or
/// the Helm chart), wait for the rollouts, say where the app answers; destroy deletes the same objects.
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
            var services = await AppModelReader.ReadAsync(context.Model, context.ExecutionContext, context.CancellationToken, production);
            var commands = deploy
                ? DeployCommands.Deploy(options, output, services.Select(s => s.Name))
                : DeployCommands.Destroy(options, output);
            if (options.DryRun)
            {
                foreach (var command in commands)
                {
                    LogWouldRun(context.Logger, command.ToString());
                }
                return;
            }
            await CheckClusterAsync(commands[0], context);
            RequireInput(options, output);
            foreach (var command in commands.Skip(1))
            {
                await CommandRunner.RunAsync(command, context.Logger, context.CancellationToken);
            }
            var summary = deploy
                ? DeployedSummary(options, production, services)
                : $"Deleted what deploy created in namespace {options.Namespace}";
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

    private static async Task CheckClusterAsync(CommandLine check, PipelineStepContext context)
    {
        try
        {
            await CommandRunner.RunAsync(check, context.Logger, context.CancellationToken);
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

    /// <summary>Where the app answers: the Ingress of each external service, and a port-forward that works without one.</summary>
    private static string DeployedSummary(DeployOptions options, KubernetesSettings production, IEnumerable<ServiceDescription> services)
    {
        var external = services.Where(s => s.IsExternal).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var context = string.IsNullOrWhiteSpace(options.Context) ? "" : $" --context {options.Context}";
        return external.Count == 0
            ? $"Deployed to namespace {options.Namespace}; no service is external"
            : $"Deployed to namespace {options.Namespace}: the app answers at https://{production.IngressHost}/ (Ingress class "
              + $"{production.IngressClass}, once DNS points at the ingress controller), or after "
              + $"`kubectl{context} --namespace {options.Namespace} port-forward service/{external[0]} 8080:80` at http://localhost:8080/";
    }

    [LoggerMessage(20, LogLevel.Information, "Would run: {Command}")]
    private static partial void LogWouldRun(ILogger logger, string command);

    [LoggerMessage(21, LogLevel.Error, "{What} stopped: {Reason}")]
    private static partial void LogFailed(ILogger logger, string what, string reason);
}
