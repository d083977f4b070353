#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004 // Pipeline steps and their output service are experimental in Aspire 13.
using Aspire.Hosting.Pipelines;
using HttpServer.AppHost.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// The publish step that writes the Kubernetes manifests (aspirate's layout) from the application model:
/// <c>dotnet run --project HttpServer.AppHost -- --operation publish --step kubernetes-manifests</c>.
/// </summary>
public static partial class KubernetesManifestsStep
{
    public const string StepName = "kubernetes-manifests";

    /// <summary>The hand-kept kustomize component in the output folder with the settings every Deployment shares.</summary>
    public const string ProductionComponent = "production";

    /// <summary>
    /// The hand-kept kustomize component that switches the optional observability components on, one line each. It comes
    /// after production/ because its patches append to the container environment production/ sets.
    /// </summary>
    public const string ObservabilityFolder = "observability";

    public const string DefaultOutputFolder = "aspirate-output";

    public static IDistributedApplicationBuilder AddKubernetesManifests(this IDistributedApplicationBuilder builder)
    {
        builder.Pipeline.AddStep(StepName, async context =>
        {
            var output = OutputDirectory(context.Services, builder.AppHostDirectory);
            try
            {
                var services = await AppModelReader.ReadAsync(context.Model, context.ExecutionContext, context.CancellationToken);
                var options = context.Services.GetRequiredService<IConfiguration>().GetSection("Kubernetes").Get<ProductionOptions>() ?? new ProductionOptions();
                // The chart offers the hand-kept optional components of the repository's aspirate-output/, whatever the output folder.
                var observability = ObservabilityComponent.ReadAll(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", DefaultOutputFolder, ObservabilityFolder)));
                IReadOnlyList<ManifestFile> files = [.. ManifestGenerator.Generate(services, [ProductionComponent, ObservabilityFolder], options),
                    .. HelmChartGenerator.Generate(services, options, observability)];
                ManifestWriter.Write(output, files);
                await context.ReportingStep.CompleteAsync(
                    $"Wrote {files.Count} files for {string.Join(", ", services.Select(s => s.Name).Order(StringComparer.Ordinal))} to {output}",
                    CompletionState.Completed, context.CancellationToken);
            }
            catch (Exception ex)
            {
                // The host stops with exit code 0 when a pipeline step throws: a failed generation must not look like success.
                Environment.ExitCode = 1;
                LogNotWritten(context.Logger, output, ex.Message);
                throw;
            }
        }, requiredBy: WellKnownPipelineSteps.Publish); // so that `aspire publish` writes the manifests too
        return builder;
    }

    /// <summary>
    /// <c>--output-path</c> as Aspire resolves it (relative to the AppHost's folder); without it, aspirate-output/
    /// at the repository root, beside the AppHost (<c>dotnet run</c> starts the AppHost in its own folder).
    /// </summary>
    internal static string OutputDirectory(IServiceProvider services, string appHostDirectory) =>
        string.IsNullOrWhiteSpace(services.GetRequiredService<IConfiguration>()["Pipeline:OutputPath"])
            ? Path.GetFullPath(Path.Combine(appHostDirectory, "..", DefaultOutputFolder))
            : services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();

    [LoggerMessage(1, LogLevel.Error, "Kubernetes manifests were not written to {Output}: {Reason}")]
    private static partial void LogNotWritten(ILogger logger, string output, string reason);
}
