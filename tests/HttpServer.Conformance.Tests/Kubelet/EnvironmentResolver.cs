using System.Text;
using System.Text.RegularExpressions;
using HttpServer.Conformance.Tests.Manifests;
using HttpServer.Testing;
using k8s.Models;

namespace HttpServer.Conformance.Tests.Kubelet;

/// <summary>
/// The container's environment as the kubelet builds it: envFrom first, then env in order, with
/// ConfigMap/Secret key references, the downward API and <c>$(VAR)</c> expansion.
/// </summary>
public static partial class EnvironmentResolver
{
    public static Dictionary<string, string> Resolve(
        V1Container container, RenderedManifests manifests, string? @namespace, PodIdentity pod)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var values = source.ConfigMapRef is { } configMapRef
                ? manifests.ConfigMap(configMapRef.Name, @namespace).Data ?? new Dictionary<string, string>()
                : SecretData(manifests.Secret(source.SecretRef.Name, @namespace));
            foreach (var (key, value) in values)
            {
                environment[(source.Prefix ?? "") + key] = value;
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom is { } from
                ? ValueFrom(from, container, manifests, @namespace, pod)
                : Expand(variable.Value ?? "", environment);
        }
        return environment;
    }

    private static string ValueFrom(
        V1EnvVarSource from, V1Container container, RenderedManifests manifests, string? @namespace, PodIdentity pod)
    {
        if (from.ConfigMapKeyRef is { } configMapKey)
        {
            return manifests.ConfigMap(configMapKey.Name, @namespace).Data[configMapKey.Key];
        }
        if (from.SecretKeyRef is { } secretKey)
        {
            return SecretData(manifests.Secret(secretKey.Name, @namespace))[secretKey.Key];
        }
        if (from.FieldRef is { } field)
        {
            return field.FieldPath switch
            {
                "metadata.name" => pod.Name,
                "metadata.namespace" => @namespace ?? "default",
                "metadata.uid" => pod.Uid,
                "spec.nodeName" => Environment.MachineName,
                "spec.serviceAccountName" => "default",
                "status.podIP" or "status.podIPs" or "status.hostIP" or "status.hostIPs" => "127.0.0.1",
                _ => throw new NotSupportedException($"fieldRef {field.FieldPath} is not emulated"),
            };
        }
        if (from.ResourceFieldRef is { } resource)
        {
            var resources = container.Resources;
            var value = resource.Resource switch
            {
                "limits.cpu" => Quantities.Get(resources?.Limits, "cpu") ?? Environment.ProcessorCount,
                "requests.cpu" => Quantities.Get(resources?.Requests, "cpu") ?? 0,
                "limits.memory" => Quantities.Get(resources?.Limits, "memory") ?? 0,
                "requests.memory" => Quantities.Get(resources?.Requests, "memory") ?? 0,
                _ => throw new NotSupportedException($"resourceFieldRef {resource.Resource} is not emulated"),
            };
            var divisor = resource.Divisor?.ToDecimal() ?? 1;
            return ((long)Math.Ceiling(value / divisor)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new NotSupportedException("An env valueFrom of a kind the emulated kubelet does not know");
    }

    private static Dictionary<string, string> SecretData(V1Secret secret)
    {
        var data = (secret.Data ?? new Dictionary<string, byte[]>())
            .ToDictionary(pair => pair.Key, pair => Encoding.UTF8.GetString(pair.Value));
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }
        return data;
    }

    /// <summary><c>$(NAME)</c> becomes an earlier variable's value; <c>$$(NAME)</c> stays literal.</summary>
    private static string Expand(string value, Dictionary<string, string> earlier) =>
        VariableReference().Replace(value, match => match.Value.StartsWith("$$", StringComparison.Ordinal)
            ? match.Value[1..]
            : earlier.TryGetValue(match.Groups[1].Value, out var resolved) ? resolved : match.Value);

    [GeneratedRegex(@"\$?\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex VariableReference();
}

/// <summary>Who the emulated pod is, for the downward API.</summary>
public sealed record PodIdentity(string Name, string Uid);
