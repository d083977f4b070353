using System.Globalization;

namespace HttpServer.AppHost.Kubernetes;

/// <summary>Turns values of the model into text, endpoints into in-cluster Service addresses.</summary>
internal sealed class ServiceAddresses(Dictionary<string, IReadOnlyList<ServicePort>> portsByService)
{
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);

    /// <summary>The services whose endpoints were mapped since the last call: the ones the resource calls.</summary>
    public List<string> TakeReferences()
    {
        var referenced = _referenced.ToList();
        _referenced.Clear();
        return referenced;
    }

    public async Task<string> MapAsync(string resource, string variable, object? value, CancellationToken cancellationToken) => value switch
    {
        null => "",
        string text => text,
        ParameterResource { Secret: true } parameter => throw Unmappable(resource, variable,
            $"secret parameter '{parameter.Name}' (a Secret, not a ConfigMap, must carry it)"),
        ParameterResource parameter => await parameter.GetValueAsync(cancellationToken)
            ?? throw Unmappable(resource, variable, $"parameter '{parameter.Name}' has no value (set Parameters:{parameter.Name})"),
        EndpointReference endpoint => Property(endpoint, EndpointProperty.Url),
        EndpointReferenceExpression expression => Property(expression.Endpoint, expression.Property),
        ReferenceExpression { IsConditional: false } expression => await FormatAsync(resource, variable, expression, cancellationToken),
        _ => throw Unmappable(resource, variable, $"a value of type {value.GetType().Name}"),
    };

    private async Task<string> FormatAsync(string resource, string variable, ReferenceExpression expression, CancellationToken cancellationToken)
    {
        var arguments = new object[expression.ValueProviders.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = await MapAsync(resource, variable, expression.ValueProviders[i], cancellationToken);
        }
        return string.Format(CultureInfo.InvariantCulture, expression.Format, arguments);
    }

    private string Property(EndpointReference endpoint, EndpointProperty property)
    {
        var name = endpoint.Resource.Name;
        var port = portsByService.TryGetValue(name, out var ports)
            ? ports.FirstOrDefault(p => p.Name == endpoint.EndpointName)
            : null;
        if (port is null)
        {
            throw new ManifestGenerationException($"Endpoint '{endpoint.EndpointName}' of '{name}' is referenced but is not a mapped service endpoint.");
        }
        _referenced.Add(name);
        return property switch
        {
            EndpointProperty.Url => $"http://{name}:{port.Port}",
            EndpointProperty.Host or EndpointProperty.IPV4Host => name,
            EndpointProperty.Port => port.Port.ToString(CultureInfo.InvariantCulture),
            EndpointProperty.TargetPort => port.ContainerPort.ToString(CultureInfo.InvariantCulture),
            EndpointProperty.HostAndPort => $"{name}:{port.Port}",
            EndpointProperty.Scheme => "http",
            EndpointProperty.TlsEnabled => "false",
            _ => throw new ManifestGenerationException($"Endpoint property {property} of '{name}' cannot be mapped."),
        };
    }

    private static ManifestGenerationException Unmappable(string resource, string variable, string what) =>
        new($"Resource '{resource}': environment variable '{variable}' holds {what}, which cannot be mapped to a Kubernetes manifest.");
}
