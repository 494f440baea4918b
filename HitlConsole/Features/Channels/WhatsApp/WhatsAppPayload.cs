using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using HitlConsole.Domain;
using HitlConsole.Features.Pipeline;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <param name="Skipped">Parts refused (malformed, or an id longer than its column).</param>
/// <param name="Clamped">Messages whose timestamp was implausible and was replaced by a bound (see <see cref="WhatsAppPayload.Plausible"/>).</param>
/// <param name="Repaired">True when the body was not valid UTF-8 and its broken bytes were read as U+FFFD.</param>
public sealed record ParsedNotification(IReadOnlyList<InboundMessage> Messages, IReadOnlyList<StatusUpdate> Statuses, int Skipped,
    int Clamped = 0, bool Repaired = false);

/// <summary>
/// Reads a WhatsApp Cloud API notification: every entry[].changes[].value, its messages[],
/// statuses[] and contacts[]. A malformed part is skipped and counted; the rest is kept. Broken text
/// (invalid UTF-8, an escaped lone surrogate, NUL) is repaired with U+FFFD rather than failing the delivery, and
/// every value is bounded by the column it is stored in.
/// </summary>
public static class WhatsAppPayload
{
    /// <summary>Longest wamid kept (Message.ExternalId); a longer one is not Meta's and its message is refused.</summary>
    public const int MaxIdLength = 200;
    /// <summary>Longest sender address kept (Contact.Address); phone numbers are at most 15 digits.</summary>
    public const int MaxFromLength = 64;
    /// <summary>A timestamp further ahead of the receive time than this is a wrong clock or forged: the receive time is used.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    /// <summary>Meta retries for about a week; an older timestamp is bounded to this age (it opens no window either way).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    /// <summary>
    /// Whether <see cref="Parse"/> will read the body rather than throw: the webhook answers 400 to a signed body that is not
    /// JSON before it stores anything. Checked with a forward-only reader, without building the document.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> body)
    {
        // Every webhook passes here: a valid body (nearly all) is read where it lies, without the copy Parse makes.
        var unmarked = body.StartsWith("\uFEFF"u8) ? body[3..] : body;
        var reader = new Utf8JsonReader(Utf8.IsValid(unmarked) ? unmarked : Readable(body, out _), new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            while (reader.Read()) { }
            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The signature was checked over the raw bytes; from here on, invalid UTF-8 becomes U+FFFD instead of failing the delivery.</summary>
    private static byte[] Readable(ReadOnlySpan<byte> body, out bool repaired)
    {
        if (body.StartsWith("\uFEFF"u8)) body = body[3..]; // a byte-order mark is not JSON, but it is harmless
        repaired = !Utf8.IsValid(body);
        return repaired ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body)) : body.ToArray();
    }

    /// <summary>Throws <see cref="JsonException"/> only when the body is not JSON at all.</summary>
    public static ParsedNotification Parse(ReadOnlySpan<byte> body, DateTime receivedUtc)
    {
        var bytes = Readable(body, out var repaired);
        using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
        var clamped = 0;
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
                if (ReadMessage(m, phoneNumberId, names) is { } message)
                {
                    var sent = Plausible(message.SentUtc, receivedUtc);
                    if (sent != message.SentUtc) clamped++;
                    messages.Add(message with { SentUtc = sent });
                }
                else skipped++;
            }

            foreach (var s in Array(value, "statuses"))
            {
                if (ReadStatus(s, phoneNumberId) is { } status) statuses.Add(status);
                else skipped++;
            }
        }
        return new ParsedNotification(messages, statuses, skipped, clamped, repaired);
    }

    /// <summary>A send time within [received − <see cref="MaxAge"/>, received + <see cref="MaxClockSkew"/>]: beyond those bounds a
    /// timestamp would keep the 24-hour window open for ever (or overflow it); the receive time (or the oldest bound) is used.</summary>
    public static DateTime Plausible(DateTime sentUtc, DateTime receivedUtc) =>
        sentUtc > receivedUtc + MaxClockSkew ? receivedUtc
        : sentUtc < receivedUtc - MaxAge ? receivedUtc - MaxAge
        : sentUtc;

    private static InboundMessage? ReadMessage(JsonElement m, string phoneNumberId, Dictionary<string, string> names)
    {
        var id = Str(m, "id");
        var from = Str(m, "from");
        var type = Str(m, "type") is { Length: > 0 and <= 20 } t ? t : "unsupported";
        if (!IsId(id, MaxIdLength) || !IsId(from, MaxFromLength) || !TryTimestamp(m, out var sent)) return null;

        string? text = null, mediaId = null, caption = null;
        var body = Obj(m, type);
        switch (type)
        {
            case "text":
                text = Str(body, "body");
                break;
            case "image" or "audio" or "video" or "document" or "sticker":
                mediaId = Str(body, "id") is { Length: <= MaxIdLength } media ? media : null;
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
        return new InboundMessage(phoneNumberId, from!, Truncate(names.GetValueOrDefault(from!), 200), id!, sent, type, text, mediaId, caption);
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
        if (!IsId(id, MaxIdLength) || state is null) return null;
        var error = Array(s, "errors").FirstOrDefault();
        string? code = null, title = null;
        if (error.ValueKind == JsonValueKind.Object)
        {
            code = Truncate(error.TryGetProperty("code", out var c) ? c.ValueKind == JsonValueKind.String ? Str(error, "code") : c.GetRawText() : null, 20);
            title = Str(error, "title") ?? Str(error, "message");
        }
        return new StatusUpdate(phoneNumberId, id!, state.Value, code, title);
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
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Text(v) : null;

    private static double? Num(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    /// <summary>An id is non-blank, fits its column and is printable (a repaired or control character means it is not Meta's).</summary>
    private static bool IsId(string? s, int max) =>
        s is { Length: > 0 } && s.Length <= max && !string.IsNullOrWhiteSpace(s) && !s.Any(c => char.IsControl(c) || c == '\uFFFD');

    private static string? Truncate(string? s, int max) => IngestInbound.Truncate(s, max);

    /// <summary>A JSON string as .NET text: an escaped lone surrogate (a broken emoji) or NUL (refused by PostgreSQL) becomes U+FFFD.</summary>
    private static string Text(JsonElement v)
    {
        string s;
        try { s = v.GetString()!; }
        catch (InvalidOperationException) { s = Unescape(v.GetRawText()); }
        return Clean(s);
    }

    private static string Unescape(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++) // the raw text is a validated JSON string: quotes around, escapes well-formed
        {
            if (raw[i] != '\\') { sb.Append(raw[i]); continue; }
            var e = raw[++i];
            sb.Append(e switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', 'u' => (char)0, _ => e });
            if (e != 'u') continue;
            sb[^1] = (char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            i += 4;
        }
        return sb.ToString();
    }

    private static string Clean(string s)
    {
        char[]? fixedUp = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var ok = c != '\0' && (!char.IsSurrogate(c)
                || char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
                || char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(s[i - 1]));
            if (ok) continue;
            fixedUp ??= s.ToCharArray();
            fixedUp[i] = '\uFFFD';
        }
        return fixedUp is null ? s : new string(fixedUp);
    }
}
