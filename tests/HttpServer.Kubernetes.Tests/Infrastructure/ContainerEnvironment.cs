using k8s.Models;

namespace HttpServer.Kubernetes.Tests.Infrastructure;

/// <summary>
/// A container's <c>env</c> as the kubelet would hand it to the process: plain values, downward API fields of a
/// pretend pod (name, namespace, node, labels) and <c>$(VAR)</c> references to variables defined earlier in the list.
/// Secret references are left out, as when an optional Secret is absent.
/// </summary>
internal static class ContainerEnvironment
{
    public static Dictionary<string, string> Resolve(V1Deployment deployment, V1Container container, string podName, string @namespace, string node)
    {
        var labels = deployment.Spec.Template.Metadata.Labels;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.FieldRef is { } field)
            {
                environment[variable.Name] = field.FieldPath switch
                {
                    "metadata.name" => podName,
                    "metadata.namespace" => @namespace,
                    "spec.nodeName" => node,
                    var path when path.StartsWith("metadata.labels['", StringComparison.Ordinal) => labels[path["metadata.labels['".Length..^2]],
                    var path => throw new InvalidOperationException($"{variable.Name}: field {path} is not resolved by this test"),
                };
            }
            else if (variable.ValueFrom is null)
            {
                environment[variable.Name] = Expand(variable.Value ?? "", environment);
            }
        }
        return environment;
    }

    // Kubernetes expands $(NAME) when NAME is defined earlier in the list, and leaves it as it is otherwise.
    private static string Expand(string value, Dictionary<string, string> earlier) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
            m => earlier.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
}
