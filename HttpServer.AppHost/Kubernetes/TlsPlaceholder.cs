using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>A TLS Secret an Ingress or a Gateway names, the hosts it must cover, and whether cert-manager is asked to issue it.</summary>
public sealed record IngressCertificate(string SecretName, IReadOnlyList<string> Hosts, bool IssuedByCertManager);

/// <summary>
/// TLS without surprises: an Ingress (or a Gateway's HTTPS listener) names a Secret that nothing in the manifests creates. With a cert-manager issuer
/// named, cert-manager creates it. Without one, deploy creates a self-signed placeholder, only when no Secret of that name
/// exists (as Aspire's publisher does), so the Ingress serves TLS at once and a real certificate put there later is never
/// overwritten. The key is made at deploy time and goes only to the cluster, through kubectl's stdin.
/// </summary>
public static class TlsPlaceholder
{
    public static IReadOnlyList<IngressCertificate> Certificates(IEnumerable<object> objects) =>
    [
        .. from ingress in objects.OfType<V1Ingress>()
           let issued = IssuedByCertManager(ingress.Metadata)
           from tls in ingress.Spec?.Tls ?? []
           where !string.IsNullOrWhiteSpace(tls.SecretName)
           select new IngressCertificate(tls.SecretName, [.. tls.Hosts ?? []], issued),
        .. from gateway in objects.OfType<RenderedGateway>()
           let issued = IssuedByCertManager(gateway.Metadata)
           from listener in gateway.Spec.Listeners
           from reference in listener.Tls?.CertificateRefs ?? []
           where !string.IsNullOrWhiteSpace(reference.Name)
           select new IngressCertificate(reference.Name, listener.Hostname is { } host ? [host] : [], issued),
    ];

    public static async Task EnsureAsync(DeployRun run, DeployOptions options, IReadOnlyList<IngressCertificate> certificates)
    {
        foreach (var (name, hosts, issuedByCertManager) in certificates.DistinctBy(c => c.SecretName))
        {
            if (issuedByCertManager)
            {
                run.Say($"TLS: Secret {name} is left to cert-manager (the Ingress names an issuer)");
                continue;
            }
            var existing = await run.AskClusterAsync(DeployCommands.Kubectl(options, "get", "secret", name, "-o", "name", "--ignore-not-found"));
            if (existing is { ExitCode: not 0 })
            {
                throw new DeployException($"could not read Secret {name}: {existing.Errors}");
            }
            if (existing is { Output.Length: > 0 })
            {
                run.Say($"TLS: Secret {name} exists and is left as it is");
                continue;
            }
            await run.RunAsync(DeployCommands.Kubectl(options, "create", "-f", "-") with { Input = KubernetesJson.Serialize(SelfSigned(name, hosts)) });
            run.Say($"TLS: {(run.IsDry ? "would create" : "created")} a self-signed placeholder Secret {name} for {string.Join(", ", hosts)}: browsers "
                + "warn until a real certificate replaces it (name a cert-manager issuer with --Kubernetes:CertManagerClusterIssuer, or put yours there)");
        }
    }

    /// <summary>A <c>kubernetes.io/tls</c> Secret: a self-signed certificate for the hosts, valid for 90 days, and its key, both PEM.</summary>
    public static V1Secret SelfSigned(string name, IReadOnlyList<string> hosts)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(hosts.Count > 0 ? hosts[0] : "httpserver")}, O=HttpServer placeholder", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(90));
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = V1Secret.KubeKind,
            Metadata = new V1ObjectMeta { Name = name },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]>
            {
                ["tls.crt"] = Encoding.UTF8.GetBytes(certificate.ExportCertificatePem()),
                ["tls.key"] = Encoding.UTF8.GetBytes(key.ExportPkcs8PrivateKeyPem()),
            },
        };
    }

    /// <summary>cert-manager's ingress-shim and gateway-shim issue the Secret of an object annotated with an issuer.</summary>
    private static bool IssuedByCertManager(V1ObjectMeta? metadata) =>
        metadata?.Annotations?.Keys.Any(k => k is ProductionObjectFactory.IssuerAnnotation or "cert-manager.io/issuer") == true;
}
