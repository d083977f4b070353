var builder = WebApplication.CreateBuilder(args);

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
