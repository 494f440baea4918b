using HitlConsole.Features.Localization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Features.Admin.Audit;

/// <summary>
/// An audit event as a person reads it: a sentence ("Ada Admin approved a draft") and the fields that changed, before and
/// after side by side. The stored action codes and JSON stay as they are (filters and exports use them).
/// </summary>
public static class AuditText
{
    public sealed record Change(string Field, string? Before, string? After);

    public static string Sentence(GetAuditLog.Row row, IStringLocalizer l)
    {
        var actor = row.Actor ?? l["ConfigSystemAuthor"];
        var text = l["AuditDid" + Pascal(row.Action), actor];
        return text.ResourceNotFound ? l["AuditDidOther", actor, row.Action] : text.Value;
    }

    public static string Entity(string? entityType, IStringLocalizer l)
    {
        if (string.IsNullOrEmpty(entityType)) return "";
        var text = l["AuditEntity" + entityType];
        return text.ResourceNotFound ? entityType : text.Value;
    }

    /// <summary>A recorded field's name in words where the UI has them; other names as recorded.</summary>
    public static string FieldLabel(string field, IStringLocalizer l)
    {
        var text = l["AuditField" + field];
        return text.ResourceNotFound ? field : text.Value;
    }

    /// <summary>Values that are codes (roles, the app's own version comments) in words; everything else as recorded.</summary>
    public static string? FieldValue(string field, string? value, IStringLocalizer l) => value is null ? null : field switch
    {
        "Role" or "Roles" => string.Join(", ", value.Split(", ").Select(r => l["Role" + r] is { ResourceNotFound: false } t ? t.Value : r)),
        "Comment" => ConfigTexts.Comment(value, l),
        _ => value,
    };

    /// <summary>Top-level fields of the before and after objects, changed ones only; nested values are shown as compact JSON.</summary>
    public static IReadOnlyList<Change> Changes(string? before, string? after)
    {
        var b = Fields(before);
        var a = Fields(after);
        return b.Keys.Concat(a.Keys.Where(k => !b.ContainsKey(k)))
            .Select(k => new Change(k, b.GetValueOrDefault(k), a.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After).ToList();
    }

    private static Dictionary<string, string?> Fields(string? json)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return fields;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) { fields[""] = Value(doc.RootElement); return fields; }
            foreach (var p in doc.RootElement.EnumerateObject()) fields[p.Name] = Value(p.Value);
        }
        catch (JsonException)
        {
            fields[""] = json;
        }
        return fields;
    }

    private static string? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Array when e.EnumerateArray().All(x => x.ValueKind is JsonValueKind.String or JsonValueKind.Number) =>
            string.Join(", ", e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText())),
        JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(e, Readable),
        _ => e.GetRawText(),
    };

    private static readonly JsonSerializerOptions Readable = new() { Encoder = HitlConsole.Infrastructure.Exports.ExportFiles.JsonEncoder };

    private static string Pascal(string code) =>
        string.Concat(code.Split('-', '_', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
