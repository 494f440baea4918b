using System.Data.Common;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// The database cannot be reached (down, refusing connections, timing out). Webhooks then answer 503 with Retry-After,
/// so Meta and other senders deliver again later, instead of a 500 or a 200 for a message that was not stored.
/// </summary>
public static class DatabaseUnavailable
{
    public static bool Is(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is DbException or TimeoutException or System.Net.Sockets.SocketException) return true;
        return false;
    }

    public static IResult Respond(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "30";
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage is unavailable; deliver again later.");
    }
}
