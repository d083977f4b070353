namespace HttpServer.ServiceDefaults.Requests;

/// <summary>HEAD wherever GET (RFC 9110 9.3.2): MapGet alone answers HEAD with 405. Kestrel sends no body for HEAD.</summary>
public static class ReadMethods
{
    public static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];
}
