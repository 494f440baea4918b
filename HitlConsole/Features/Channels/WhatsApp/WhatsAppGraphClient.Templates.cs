using System.Net.Http.Headers;
using System.Text.Json;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>A template as Meta lists it.</summary>
public sealed record GraphTemplate(string? Id, string Name, string Language, string? Category, string Status, JsonElement Components);

/// <summary>Every template of a business account, or what Meta answered instead.</summary>
public sealed record TemplateListResult(IReadOnlyList<GraphTemplate> Templates, SendResult.Failed? Error);

/// <summary>One parameter value of a template send.</summary>
public sealed record TemplateParameter(string Component, string Name, string Text);

public sealed partial class WhatsAppGraphClient
{
    /// <summary>Most pages followed in one sync: 100 templates a page is more than any business account holds.</summary>
    public const int MaxTemplatePages = 50;

    /// <summary>
    /// GET {base}/{version}/{waba-id}/message_templates, following <c>paging.next</c> page after page. A <c>next</c> link that
    /// points at another host is not followed with the token; the <c>after</c> cursor is asked of the configured host instead.
    /// </summary>
    public async Task<TemplateListResult> ListTemplatesAsync(string baseUrl, string version, string businessAccountId, string accessToken,
        CancellationToken ct)
    {
        var first = $"{baseUrl.TrimEnd('/')}/{version}/{Uri.EscapeDataString(businessAccountId)}/message_templates" +
                    "?fields=id,name,language,category,status,components&limit=100";
        var templates = new List<GraphTemplate>();
        string? url = first;
        for (var page = 0; url is not null && page < MaxTemplatePages; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            HttpResponseMessage response;
            try { response = await http.SendAsync(request, ct); }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
            {
                return new TemplateListResult(templates, new SendResult.Failed("network", "WhatsApp could not be reached.", true));
            }
            using (response)
            {
                using var json = await ReadJsonAsync(response, ct);
                if (!response.IsSuccessStatusCode || json is null || !json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                    return new TemplateListResult(templates, Failure(response, json));
                foreach (var t in data.EnumerateArray())
                {
                    if (Str(t, "name") is not { Length: > 0 and <= 512 } name || Str(t, "language") is not { Length: > 0 and <= 16 } language) continue;
                    templates.Add(new GraphTemplate(Str(t, "id"), name, language, Str(t, "category"), Str(t, "status") ?? "UNKNOWN",
                        t.TryGetProperty("components", out var c) ? c.Clone() : default));
                }
                url = NextPage(json.RootElement, first, baseUrl);
            }
        }
        return new TemplateListResult(templates, null);
    }

    private static string? NextPage(JsonElement root, string first, string baseUrl)
    {
        if (!root.TryGetProperty("paging", out var paging) || paging.ValueKind != JsonValueKind.Object) return null;
        if (Str(paging, "next") is not { Length: > 0 } next) return null;
        if (Uri.TryCreate(next, UriKind.Absolute, out var nextUri) && Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri)
            && nextUri.Scheme == baseUri.Scheme && nextUri.Authority == baseUri.Authority) return next;
        var after = paging.TryGetProperty("cursors", out var cursors) ? Str(cursors, "after") : null;
        return after is { Length: > 0 } ? first + "&after=" + Uri.EscapeDataString(after) : null;
    }

    /// <summary>POST a template message: its name, language and the text parameters of its header and body.</summary>
    public Task<SendResult> SendTemplateAsync(string baseUrl, string version, string phoneNumberId, string accessToken, string to,
        string name, string language, IReadOnlyList<TemplateParameter> parameters, string callbackData, CancellationToken ct)
    {
        var components = parameters.GroupBy(p => p.Component).Select(g => new
        {
            type = g.Key,
            parameters = g.Select(p => p.Name.All(char.IsAsciiDigit)
                ? (object)new { type = "text", text = p.Text }
                : new { type = "text", parameter_name = p.Name, text = p.Text }).ToArray(),
        }).ToArray();
        return PostMessageAsync(baseUrl, version, phoneNumberId, accessToken, new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to,
            type = "template",
            template = new { name, language = new { code = language }, components },
            biz_opaque_callback_data = callbackData,
        }, ct);
    }

    internal static SendResult.Failed Failure(HttpResponseMessage response, JsonDocument? json)
    {
        string code = ((int)response.StatusCode).ToString(), title = response.ReasonPhrase ?? "Error";
        if (json?.RootElement.TryGetProperty("error", out var error) == true && error.ValueKind == JsonValueKind.Object)
        {
            if (error.TryGetProperty("code", out var c)) code = c.ToString();
            if (error.TryGetProperty("message", out var m) && m.GetString() is { } message) title = message;
        }
        return new SendResult.Failed(code, title.Length > 300 ? title[..300] : title, MetaErrors.IsRetryable(code, (int)response.StatusCode),
            response.Headers.RetryAfter?.Delta);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
