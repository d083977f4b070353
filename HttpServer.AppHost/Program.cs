// The distributed app run locally: two instances of HttpServer.Api, the frontend calling the backend.
var builder = DistributedApplication.CreateBuilder(args);

var settings = builder.AddApiSettings();

var backend = builder.AddApiService("backend", settings)
    .WithFaultInjection(settings)
    .WithKubernetesCanary();

builder.AddApiService("frontend", settings, port: 5080)
    .WithExternalHttpEndpoints()
    .WithDownstream(backend);

builder.AddKubernetesManifests();
builder.AddKubernetesDeployment();

builder.Build().Run();
