using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace HitlConsole.Features.Models;

/// <summary>
/// Why "Test connection" failed, by cause, so the dialog can say what to do next: the name does not resolve (DNS), nothing
/// listens on the port (refused), no answer in time (timeout), the TLS handshake failed, the key was refused (401/403),
/// the address answers but is not an OpenAI-compatible API (404), the server failed (5xx), or the model is not served.
/// Each code is a resource key suffix: <c>ModelFail{Code}</c>, formatted with the host and, for the model, its name.
/// </summary>
public static class ConnectionFailure
{
    public static string Classify(Exception ex)
    {
        if (ex is TimeoutException or OperationCanceledException) return "Timeout";
        if (Status(ex) is { } status)
            return status switch
            {
                401 or 403 => "Unauthorized",
                404 => "NotFound",
                429 => "RateLimited",
                >= 500 => "Server",
                _ => "Http",
            };
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return "Dns";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                case AuthenticationException:
                    return "Tls";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return "Dns";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "Refused";
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                case TimeoutException:
                    return "Timeout";
            }
        }
        return ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } ? "Refused" : "Unknown";
    }

    private static int? Status(Exception ex) => ex switch
    {
        System.ClientModel.ClientResultException { Status: > 0 } c => c.Status,
        HttpRequestException { StatusCode: { } code } => (int)code,
        _ => null,
    };
}
