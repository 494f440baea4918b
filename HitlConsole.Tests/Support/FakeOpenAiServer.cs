using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace HitlConsole.Tests.Support;

/// <summary>
/// An OpenAI-compatible chat server on loopback (HttpListener, for the same reason as <see cref="FakeGraphApi"/>):
/// records every request and answers with what the test scripted — contract JSON, fenced JSON, prose, a delay,
/// or an HTTP error.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public sealed record Received(string Path, string? Authorization, JsonElement Body);

    public sealed record Answer(int Status, string Content, TimeSpan Delay = default, int PromptTokens = 321, int CompletionTokens = 45);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Answer> _script = new();
    private readonly Task _loop;

    public ConcurrentQueue<Received> Requests { get; } = new();
    public string BaseUrl { get; }
    public Answer Default { get; set; } = new(200, """{"reply":"Default reply","alternatives":[],"intent":null,"classification":"answer","confidence":50,"sources":[],"out_of_knowledge":false,"reasoning":"default"}""");
    public IReadOnlyList<string> Models { get; set; } = ["local-model-a", "local-model-b"];
    /// <summary>Answers computed from the request (e.g. echoing part of the prompt) when nothing is scripted.</summary>
    public Func<JsonElement, Answer?>? Responder { get; set; }

    public FakeOpenAiServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public void Then(Answer answer) => _script.Enqueue(answer);

    public void ThenJson(object contract) => Then(new Answer(200, JsonSerializer.Serialize(contract)));

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(async () =>
            {
                try { await AnswerAsync(context); }
                catch (Exception) { try { context.Response.StatusCode = 500; } catch (InvalidOperationException) { } }
                finally { try { context.Response.Close(); } catch (Exception) { } }
            });
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (context.Request.HttpMethod == "GET" && path == "/v1/models")
        {
            Requests.Enqueue(new Received(path, context.Request.Headers["Authorization"], default));
            await WriteAsync(context, 200, JsonSerializer.Serialize(new { @object = "list", data = Models.Select(m => new { id = m, @object = "model", created = 1700000000, owned_by = "test" }) }));
            return;
        }
        if (context.Request.HttpMethod != "POST" || path != "/v1/chat/completions")
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var doc = await JsonDocument.ParseAsync(context.Request.InputStream);
        Requests.Enqueue(new Received(path, context.Request.Headers["Authorization"], doc.RootElement.Clone()));
        var answer = _script.TryDequeue(out var scripted) ? scripted : Responder?.Invoke(doc.RootElement) ?? Default;
        if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay);
        if (answer.Status != 200)
        {
            await WriteAsync(context, answer.Status, JsonSerializer.Serialize(new { error = new { message = answer.Content, type = "server_error" } }));
            return;
        }
        var model = doc.RootElement.TryGetProperty("model", out var m) ? m.GetString() : "unknown";
        await WriteAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-test", @object = "chat.completion", created = 1700000000, model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = answer.Content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = answer.PromptTokens, completion_tokens = answer.CompletionTokens, total_tokens = answer.PromptTokens + answer.CompletionTokens },
        }));
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
