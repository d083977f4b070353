using System.Globalization;
using System.Xml.Linq;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The image a project publishes with <c>dotnet publish -t:PublishContainer</c>, read from the properties
/// in its project file (ContainerRepository, ContainerImageTag, ContainerPort, and the ContainerEnvironmentVariable
/// Management__Port), so the manifests name the image the SDK builds and the ports it listens on.
/// </summary>
public sealed record ContainerImageSettings(ContainerImage Image, int Port, int? ManagementPort = null)
{
    /// <summary>The app's setting of its management port (HttpServer.ServiceDefaults' ManagementOptions).</summary>
    public const string ManagementPortVariable = "Management__Port";

    /// <summary>The port of the SDK's ASP.NET Core images when the project names none.</summary>
    public const int DefaultPort = 8080;

    public static ContainerImageSettings Read(string resourceName, string projectPath)
    {
        if (!File.Exists(projectPath))
        {
            throw new ManifestGenerationException($"Resource '{resourceName}': project file '{projectPath}' not found.");
        }
        var project = XDocument.Load(projectPath);
        string? Property(string name)
        {
            var value = project.Descendants(name).Select(e => e.Value.Trim()).LastOrDefault(v => v.Length > 0);
            // One level of MSBuild's $(Name), enough for <ContainerImageTag>$(Version)</ContainerImageTag>.
            return value is ['$', '(', .. var inner, ')'] && inner.All(char.IsAsciiLetterOrDigit) ? Property(inner) : value;
        }

        var repository = Property("ContainerRepository");
        var tag = Property("ContainerImageTag");
        if (repository is null || tag is null)
        {
            throw new ManifestGenerationException(
                $"Resource '{resourceName}' has no container image settings: '{projectPath}' must set ContainerRepository and ContainerImageTag "
                + "(e.g. $(Version); the image `dotnet publish -t:PublishContainer` builds and the manifests run).");
        }
        var management = project.Descendants("ContainerEnvironmentVariable")
            .LastOrDefault(e => (string?)e.Attribute("Include") == ManagementPortVariable)?.Attribute("Value")?.Value;
        int? managementPort = management is null ? null
            : int.TryParse(management, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 0 and < 65536 ? (m == 0 ? null : m)
            : throw new ManifestGenerationException($"Resource '{resourceName}': '{projectPath}' sets {ManagementPortVariable} to '{management}', not a port.");
        // The management port is declared too (ContainerPort, for `podman run -P`); the other one is http.
        var ports = project.Descendants("ContainerPort").Select(e => (string?)e.Attribute("Include")).OfType<string>()
            .Where(p => p != managementPort?.ToString(CultureInfo.InvariantCulture)).ToList();
        var port = ports.Count switch
        {
            0 => DefaultPort,
            1 when int.TryParse(ports[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 => p,
            _ => throw new ManifestGenerationException($"Resource '{resourceName}': '{projectPath}' must name at most one numeric ContainerPort besides the management port."),
        };
        var registry = Property("ContainerRegistry");
        return new ContainerImageSettings(new ContainerImage(registry is null ? repository : $"{registry}/{repository}", tag), port, managementPort);
    }
}
