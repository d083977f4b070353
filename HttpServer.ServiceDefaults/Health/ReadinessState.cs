namespace HttpServer.ServiceDefaults.Health;

/// <summary>Where the service is in its life: readiness is true only between warm-up and shutdown.</summary>
public sealed class ReadinessState
{
    private volatile bool _warmedUp;
    private volatile bool _shuttingDown;

    public bool IsWarmedUp => _warmedUp;
    public bool IsShuttingDown => _shuttingDown;

    public void MarkWarmedUp() => _warmedUp = true;
    public void MarkShuttingDown() => _shuttingDown = true;
}
