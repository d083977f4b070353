using HttpServer.Testing;

namespace HttpServer.Kubernetes.Tests.Deploy;

/// <summary>
/// `aspire deploy`'s real path (the AppHost's own pipeline step, every command run) with kubectl replaced by
/// recording-kubectl.sh: it records each call and answers as kubectl would for a cluster in a given state. The output
/// folder is a fresh one per run, and so is deploy's work folder (named after it); nothing touches aspirate-output/.
/// </summary>
internal sealed class RecordedDeploy : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"recorded-deploy-{Guid.NewGuid():N}");

    public RecordedDeploy() => Directory.CreateDirectory(Records);

    public string Output => Path.Combine(_root, Path.GetFileName(_root));

    /// <summary>Deploy's own folder for this output (its overlays, the SBOMs): docs/operations.md names it.</summary>
    public string Work => Path.Combine(RepositoryPaths.Root, "HttpServer.AppHost", "obj", "deploy", Path.GetFileName(Output));

    public string Records => Path.Combine(_root, "records");

    public static string Kubectl => Path.Combine(AppContext.BaseDirectory, "Deploy", "recording-kubectl.sh");

    /// <summary>Each kubectl (and helm) call, in order, with the output folder written as OUT and deploy's own as WORK.</summary>
    public IReadOnlyList<string> Calls => File.Exists(Path.Combine(Records, "calls"))
        ? [.. File.ReadAllLines(Path.Combine(Records, "calls")).Select(Plain)]
        : [];

    public string Plain(string line) => line.Replace(Work, "WORK", StringComparison.Ordinal).Replace(Output, "OUT", StringComparison.Ordinal);

    /// <summary>What `kubectl apply -k` would have sent, rendered by the real kubectl.</summary>
    public string Applied => File.ReadAllText(Path.Combine(Records, "applied.yaml"));

    /// <summary>Runs deploy with the recording kubectl and helm, against a cluster in the state <paramref name="cluster"/> names.</summary>
    public Task<ProcessResult> RunAsync(string cluster, params string[] settings) => RunStepAsync("kubernetes-deploy", cluster, new Dictionary<string, string>(), settings);

    public Task<ProcessResult> RunAsync(string cluster, IReadOnlyDictionary<string, string> environment, params string[] settings) =>
        RunStepAsync("kubernetes-deploy", cluster, environment, settings);

    public Task<ProcessResult> DestroyAsync(string cluster, params string[] settings) => RunStepAsync("kubernetes-destroy", cluster, new Dictionary<string, string>(), settings);

    private Task<ProcessResult> RunStepAsync(string step, string cluster, IReadOnlyDictionary<string, string> environment, string[] settings) =>
        ProcessRunner.RunAsync("dotnet",
        [
            "run", "--project", Path.Combine(RepositoryPaths.Root, "HttpServer.AppHost"), "--no-build", "-c", RepositoryPaths.Configuration, "--",
            "--operation", "publish", "--step", step, "--output-path", Output,
            $"--Kubernetes:Deploy:Kubectl={Kubectl}", $"--Kubernetes:Deploy:Helm={Kubectl}", .. settings,
        ],
        TimeSpan.FromMinutes(5),
        new Dictionary<string, string>(environment)
        {
            ["RECORD_DIR"] = Records,
            ["CLUSTER"] = cluster,
            ["REAL_KUBECTL"] = RepositoryPaths.Kubectl,
            ["REAL_HELM"] = RepositoryPaths.Helm,
        });

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        if (Directory.Exists(Work))
        {
            Directory.Delete(Work, recursive: true);
        }
    }
}
