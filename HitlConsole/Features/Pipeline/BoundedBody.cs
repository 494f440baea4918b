namespace HitlConsole.Features.Pipeline;

/// <summary>Reads a request body into memory up to a limit, without trusting Content-Length.</summary>
public static class BoundedBody
{
    /// <returns>The bytes, or null when the body is larger than <paramref name="limit"/>.</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)n : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>A bounded JSON body as <typeparamref name="T"/>, or the 413/415/400 answer that explains what was wrong.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpRequest request, int limit, CancellationToken ct) where T : class
    {
        var body = await ReadAsync(request, limit, ct);
        if (body is null) return (null, Problem(413, "The body is too large."));
        if (!IsJson(request)) return (null, Problem(415, "Send application/json."));
        try
        {
            return (System.Text.Json.JsonSerializer.Deserialize<T>(body, System.Text.Json.JsonSerializerOptions.Web), null);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, Problem(400, "The body is not valid JSON."));
        }
    }

    /// <summary>A short neutral error that never echoes the input.</summary>
    public static IResult Problem(int status, string title) => Results.Problem(statusCode: status, title: title);
}
