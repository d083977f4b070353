// The slim builder: no HTTPS, IIS, hosting startup or Debug/EventSource loggers, none of which a pod behind an
// Ingress uses; NativeAOT turns ready ~15 ms sooner (bench/README.md).
var builder = WebApplication.CreateSlimBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseVersionHeader();

app.MapDefaultEndpoints();
app.MapEchoApi();
app.MapInfoApi();
app.MapDiagnosticsApi();
app.MapChainApi();

app.Run();

public partial class Program;
