namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// How <c>aspire deploy</c> and <c>aspire destroy</c> reach the cluster (section <c>Kubernetes:Deploy</c> of the
/// AppHost's configuration, e.g. <c>--Kubernetes:Deploy:Namespace=shop</c>).
/// </summary>
public sealed class DeployOptions
{
    /// <summary><c>kustomize</c> (server-side apply of the output folder) or <c>helm</c> (the chart in <c>chart/</c> of it).</summary>
    public string Tool { get; set; } = "kustomize";

    /// <summary>The namespace the objects go to; it must exist (the manifests do not own it, so destroy leaves it).</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The kubeconfig context; empty for the current one.</summary>
    public string Context { get; set; } = "";

    /// <summary>The kubectl to run: a name looked up on PATH, or a path.</summary>
    public string Kubectl { get; set; } = "kubectl";

    /// <summary>The helm to run (Tool <c>helm</c> only): a name looked up on PATH, or a path.</summary>
    public string Helm { get; set; } = "helm";

    /// <summary>
    /// Tool <c>helm</c> only: a values file of your own (absolute, or relative to the AppHost's folder), over the chart's defaults
    /// in the render and the upgrade; the pushed image by digest is still set by deploy.
    /// </summary>
    public string ValuesFile { get; set; } = "";

    /// <summary>The Helm release name (Tool <c>helm</c> only).</summary>
    public string Release { get; set; } = "httpserver";

    /// <summary>How long each Deployment's rollout may take before deploy fails.</summary>
    public int RolloutTimeoutSeconds { get; set; } = 180;

    /// <summary>Print the commands instead of running them (nothing is built, asked or changed; the render runs, locally).</summary>
    public bool DryRun { get; set; }

    /// <summary>Ask the cluster for what the objects need before applying them (docs/operations.md, "Prerequisites").</summary>
    public bool Preflight { get; set; } = true;

    /// <summary>Build and push the images to <c>Kubernetes:Registry</c>; false when the nodes already have them (kind load).</summary>
    public bool BuildImage { get; set; } = true;

    public bool UsesHelm => string.Equals(Tool, "helm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses a value that would make a command mean something else.</summary>
    public void Validate()
    {
        if (!UsesHelm && !string.Equals(Tool, "kustomize", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeployException($"Kubernetes:Deploy:Tool = \"{Tool}\": expected kustomize or helm");
        }
        if (ValuesFile.Length > 0 && (!UsesHelm || !File.Exists(ValuesFile)))
        {
            throw new DeployException($"Kubernetes:Deploy:ValuesFile = \"{ValuesFile}\": " + (UsesHelm ? "no such file"
                : "a values file is for Tool helm; with kustomize, apply an overlay of your own (docs/kubernetes.md)"));
        }
        if (string.IsNullOrWhiteSpace(Namespace) || RolloutTimeoutSeconds <= 0)
        {
            throw new DeployException("Kubernetes:Deploy needs a Namespace and a positive RolloutTimeoutSeconds");
        }
    }
}

/// <summary>Deploy or destroy cannot go on: the message says why and what to do; the step fails with it.</summary>
public sealed class DeployException(string message) : Exception(message);
