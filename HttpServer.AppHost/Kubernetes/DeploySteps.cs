namespace HttpServer.AppHost.Kubernetes;

/// <summary>Deploy's preflight: every missing prerequisite at once, with how to get it, and nothing applied.</summary>
public static class DeployPreflight
{
    public static async Task RunAsync(DeployRun run, IReadOnlyList<ClusterPrerequisite> prerequisites)
    {
        var missing = new List<ClusterPrerequisite>();
        foreach (var prerequisite in prerequisites)
        {
            var answer = await run.AskClusterAsync(prerequisite.Query);
            if (answer is not null && !prerequisite.IsMet(answer))
            {
                missing.Add(prerequisite);
            }
        }
        if (missing.Count > 0)
        {
            throw new DeployException("the cluster lacks what the manifests need; nothing was applied:\n"
                + string.Join('\n', missing.Select(m => $"  - {m.Name}: {m.HowToGet}"))
                + "\n(--Kubernetes:Deploy:Preflight=false skips these checks)");
        }
        if (!run.IsDry)
        {
            run.Say($"Preflight: the cluster has all {prerequisites.Count} prerequisites of the manifests");
        }
    }
}

/// <summary>Build, push and describe each image: the digest the manifests will name, and a CycloneDX SBOM beside the publish folder.</summary>
public static class DeployImages
{
    public static async Task<IReadOnlyList<DeliveredImage>> DeliverAsync(DeployRun run, IReadOnlyList<ImageBuild> builds, KubernetesSettings settings)
    {
        var delivered = new List<DeliveredImage>();
        foreach (var build in builds)
        {
            var published = await run.RunAsync(ImageDelivery.Publish(build, settings));
            if (published is null)
            {
                await run.RunAsync(ImageDelivery.Sbom(build, "<the publish folder's parent>"));
                continue;
            }
            var (digest, revision, publishDir) = ImageDelivery.ReadPublishOutput(published);
            var folder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(publishDir, Path.GetDirectoryName(build.ProjectPath)!)))!;
            await run.RunAsync(ImageDelivery.Sbom(build, folder));
            var (host, repository) = ImageDelivery.Pushed(build, settings);
            delivered.Add(new DeliveredImage(build.Image, $"{host}/{repository}", digest, revision, Path.Combine(folder, ImageDelivery.SbomFileName(build))));
            run.Say($"Pushed {host}/{repository}@{digest}");
        }
        return delivered;
    }
}

/// <summary>The TLS Secret of each Ingress: cert-manager's when an issuer is named, else a placeholder made only if none exists.</summary>
public static class DeployTls
{
    public static async Task EnsureAsync(DeployRun run, DeployOptions options, IReadOnlyList<IngressCertificate> certificates, string workFolder)
    {
        foreach (var certificate in certificates.DistinctBy(c => c.SecretName))
        {
            if (certificate.IssuedByCertManager)
            {
                run.Say($"TLS: Secret {certificate.SecretName} is left to cert-manager (the Ingress names an issuer)");
                continue;
            }
            var answer = await run.AskClusterAsync(TlsPlaceholder.Exists(options, certificate.SecretName));
            if (answer is { ExitCode: not 0 })
            {
                throw new DeployException($"could not read Secret {certificate.SecretName}: {answer.Errors}");
            }
            if (answer is { Output.Length: > 0 })
            {
                run.Say($"TLS: Secret {certificate.SecretName} exists and is left as it is");
                continue;
            }
            await CreatePlaceholderAsync(run, options, certificate, Path.Combine(workFolder, "tls"));
        }
    }

    private static async Task CreatePlaceholderAsync(DeployRun run, DeployOptions options, IngressCertificate certificate, string folder)
    {
        var (certificateFile, keyFile) = (Path.Combine(folder, "tls.crt"), Path.Combine(folder, "tls.key"));
        if (run.IsDry)
        {
            await run.RunAsync(TlsPlaceholder.Create(options, certificate.SecretName, certificateFile, keyFile));
            return;
        }
        Directory.CreateDirectory(folder);
        var (pem, key) = TlsPlaceholder.SelfSigned(certificate.Hosts);
        var ownerOnly = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            ownerOnly.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the key is readable by its owner only
        }
        try
        {
            await using (var writer = new StreamWriter(certificateFile, ownerOnly)) { await writer.WriteAsync(pem); }
            await using (var writer = new StreamWriter(keyFile, ownerOnly)) { await writer.WriteAsync(key); }
            await run.RunAsync(TlsPlaceholder.Create(options, certificate.SecretName, certificateFile, keyFile));
        }
        finally
        {
            File.Delete(keyFile);
            File.Delete(certificateFile);
        }
        run.Say($"TLS: created a self-signed placeholder Secret {certificate.SecretName} for {string.Join(", ", certificate.Hosts)}: browsers "
            + "warn until a real certificate replaces it (name a cert-manager issuer with --Kubernetes:CertManagerClusterIssuer, or put yours there)");
    }
}
