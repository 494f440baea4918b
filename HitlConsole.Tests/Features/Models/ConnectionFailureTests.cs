using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using HitlConsole.Features.Models;

namespace HitlConsole.Tests.Features.Models;

public sealed class ConnectionFailureTests
{
    public static TheoryData<Exception, string> Causes => new()
    {
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), "Dns" },
        { new HttpRequestException("x", new SocketException((int)SocketError.HostNotFound)), "Dns" },
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), "Refused" },
        { new TaskCanceledException(), "Timeout" },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "tls", new AuthenticationException()), "Tls" },
        { new HttpRequestException("401", null, HttpStatusCode.Unauthorized), "Unauthorized" },
        { new HttpRequestException("404", null, HttpStatusCode.NotFound), "NotFound" },
        { new HttpRequestException("502", null, HttpStatusCode.BadGateway), "Server" },
        { new InvalidOperationException(), "Unknown" },
    };

    [Theory, MemberData(nameof(Causes))]
    public void A_failed_connection_is_named_by_its_cause(Exception ex, string cause) => Assert.Equal(cause, ConnectionFailure.Classify(ex));
}
