global using HttpServer.Api;
global using HttpServer.Api.Chain;
global using HttpServer.Api.Diagnostics;
global using HttpServer.Api.Echo;
global using HttpServer.Api.Info;
global using HttpServer.ServiceDefaults.Requests;
