using System.Globalization;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;

namespace HitlConsole.Features.Channels.WhatsApp;

public sealed record ParsedNotification(IReadOnlyList<InboundMessage> Messages, IReadOnlyList<StatusUpdate> Statuses, int Skipped);

/// <summary>
/// Reads a WhatsApp Cloud API notification: every entry[].changes[].value, its messages[],
/// statuses[] and contacts[]. A malformed part is skipped and counted; the rest is kept.
/// </summary>
public static class WhatsAppPayload
{
    /// <summary>Throws <see cref="JsonException"/> only when the body is not JSON at all.</summary>
    public static ParsedNotification Parse(ReadOnlySpan<byte> body)
    {
        using var doc = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        var messages = new List<InboundMessage>();
        var statuses = new List<StatusUpdate>();
        var skipped = 0;

        foreach (var entry in Array(doc.RootElement, "entry"))
        foreach (var change in Array(entry, "changes"))
        {
            if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) { skipped++; continue; }
            var phoneNumberId = Str(Obj(value, "metadata"), "phone_number_id");
            if (phoneNumberId is null) { skipped++; continue; }

            var names = new Dictionary<string, string>();
            foreach (var contact in Array(value, "contacts"))
                if (Str(contact, "wa_id") is { } waId && Str(Obj(contact, "profile"), "name") is { } name)
                    names[waId] = name;

            foreach (var m in Array(value, "messages"))
            {
                if (ReadMessage(m, phoneNumberId, names) is { } message) messages.Add(message);
                else skipped++;
            }

            foreach (var s in Array(value, "statuses"))
            {
                if (ReadStatus(s, phoneNumberId) is { } status) statuses.Add(status);
                else skipped++;
            }
        }
        return new ParsedNotification(messages, statuses, skipped);
    }

    private static InboundMessage? ReadMessage(JsonElement m, string phoneNumberId, Dictionary<string, string> names)
    {
        var id = Str(m, "id");
        var from = Str(m, "from");
        var type = Str(m, "type") ?? "unsupported";
        if (id is null || from is null || !TryTimestamp(m, out var sent)) return null;

        string? text = null, mediaId = null, caption = null;
        var body = Obj(m, type);
        switch (type)
        {
            case "text":
                text = Str(body, "body");
                break;
            case "image" or "audio" or "video" or "document" or "sticker":
                mediaId = Str(body, "id");
                caption = Str(body, "caption") ?? Str(body, "filename");
                break;
            case "location":
                var lat = Num(body, "latitude");
                var lng = Num(body, "longitude");
                text = lat is null || lng is null ? null : string.Create(CultureInfo.InvariantCulture, $"{lat},{lng}");
                caption = string.Join(", ", new[] { Str(body, "name"), Str(body, "address") }.Where(s => !string.IsNullOrWhiteSpace(s)));
                break;
            case "contacts":
                text = string.Join(", ", Array(m, "contacts").Select(c => Str(Obj(c, "name"), "formatted_name")).Where(n => n is not null));
                break;
            case "interactive":
                var reply = Obj(body, "button_reply") ?? Obj(body, "list_reply");
                text = Str(reply, "title");
                break;
            case "button":
                text = Str(body, "text");
                break;
            case "reaction":
                text = Str(body, "emoji");
                break;
        }
        if (caption is { Length: 0 }) caption = null;
        return new InboundMessage(phoneNumberId, from, names.GetValueOrDefault(from), id, sent, type, text, mediaId, caption);
    }

    private static StatusUpdate? ReadStatus(JsonElement s, string phoneNumberId)
    {
        var id = Str(s, "id");
        var state = Str(s, "status") switch
        {
            "sent" => DeliveryState.Sent,
            "delivered" => DeliveryState.Delivered,
            "read" => DeliveryState.Read,
            "failed" => DeliveryState.Failed,
            _ => (DeliveryState?)null,
        };
        if (id is null || state is null) return null;
        var error = Array(s, "errors").FirstOrDefault();
        string? code = null, title = null;
        if (error.ValueKind == JsonValueKind.Object)
        {
            code = error.TryGetProperty("code", out var c) ? c.ToString() : null;
            title = Str(error, "title") ?? Str(error, "message");
        }
        return new StatusUpdate(phoneNumberId, id, state.Value, code, title);
    }

    private static bool TryTimestamp(JsonElement m, out DateTime utc)
    {
        utc = default;
        if (!m.TryGetProperty("timestamp", out var t)) return false;
        var ok = t.ValueKind == JsonValueKind.String ? long.TryParse(t.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var secs)
            : t.TryGetInt64(out secs);
        if (!ok || secs < 0 || secs > 253_402_300_799) return false;
        utc = DateTimeOffset.FromUnixTimeSeconds(secs).UtcDateTime;
        return true;
    }

    private static IEnumerable<JsonElement> Array(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray() : [];

    private static JsonElement? Obj(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Str(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Num(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
