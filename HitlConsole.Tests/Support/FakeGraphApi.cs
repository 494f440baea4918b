using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HitlConsole.Tests.Support;

/// <summary>
/// A stand-in for Meta's Graph API on loopback: checks the shape of message sends, records them,
/// and answers what the test scripted (200 with a wamid by default). Built on HttpListener rather
/// than a second ASP.NET host, because WebApplicationFactory captures whichever host is built next
/// in the process and tests run in parallel.
/// </summary>
public sealed partial class FakeGraphApi : IAsyncDisposable
{
    public sealed record Received(string Path, string? Authorization, JsonElement Body);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();
    private readonly Task _loop;
    private int _count;

    public ConcurrentQueue<Received> Requests { get; } = new();
    public string BaseUrl { get; }

    private FakeGraphApi()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public static Task<FakeGraphApi> StartAsync() => Task.FromResult(new FakeGraphApi());

    public void Then(int status, string body = "{}") => _script.Enqueue((status, body));

    public void ThenMetaError(int status, int code, string message) =>
        Then(status, JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, fbtrace_id = "A1" } }));

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { await AnswerAsync(context); }
            catch (Exception) { context.Response.StatusCode = 500; }
            finally { context.Response.Close(); }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (context.Request.HttpMethod != "POST" || !MessagesPath().IsMatch(path))
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var doc = await JsonDocument.ParseAsync(context.Request.InputStream);
        var body = doc.RootElement.Clone();
        Requests.Enqueue(new Received(path, context.Request.Headers["Authorization"], body));
        var n = Interlocked.Increment(ref _count);

        (int Status, string Body) answer;
        if (_script.TryDequeue(out var scripted)) answer = scripted;
        else
        {
            var wellFormed = body.TryGetProperty("messaging_product", out var mp) && mp.GetString() == "whatsapp"
                && body.TryGetProperty("to", out _) && body.TryGetProperty("text", out var text) && text.TryGetProperty("body", out _);
            answer = wellFormed
                ? (200, JsonSerializer.Serialize(new { messaging_product = "whatsapp", contacts = new[] { new { input = "x", wa_id = "x" } }, messages = new[] { new { id = $"wamid.OUT{n}" } } }))
                : (400, JsonSerializer.Serialize(new { error = new { message = "(#100) Invalid parameter", type = "OAuthException", code = 100 } }));
        }
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    [GeneratedRegex(@"^/v[0-9.]+/[^/]+/messages$")]
    private static partial Regex MessagesPath();
}
