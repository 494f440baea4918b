using HitlConsole.Features.Localization;
using System.Globalization;
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
        // As a sentence's subject the system takes its article ("El sistema guardó…"); the user column names it bare.
        var actor = row.ActorName ?? row.Actor ?? l["AuditSystemSubject"];
        var text = l["AuditDid" + Pascal(row.Action), actor];
        return text.ResourceNotFound ? l["AuditDidOther", Who(row, l), row.Action] : text.Value;
    }

    /// <summary>Who did it, as people know them: their name, their e-mail when they have none, or the system.</summary>
    public static string Who(GetAuditLog.Row row, IStringLocalizer l) => row.ActorName ?? row.Actor ?? l["ConfigSystemAuthor"];

    /// <summary>
    /// An action as a filter choice: its sentence without the person ("Approved a draft", "Aprobó un borrador"). Every action
    /// the app records has a sentence; a code without one (a newer app's rows) is shown as recorded.
    /// </summary>
    public static string ActionLabel(string action, IStringLocalizer l)
    {
        var text = l["AuditDid" + Pascal(action), ""];
        var label = text.ResourceNotFound ? "" : text.Value.Trim();
        return label.Length == 0 ? action : char.ToUpper(label[0], CultureInfo.CurrentCulture) + label[1..];
    }

    /// <summary>A group of actions ("draft." → "Every draft action"), for filtering by the code prefix.</summary>
    public static string GroupLabel(string prefix, IStringLocalizer l)
    {
        var text = l["AuditGroup" + Pascal(prefix)];
        return text.ResourceNotFound ? prefix + "*" : text.Value;
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
        if (field.Length == 0) return "";
        var text = l["AuditField" + char.ToUpperInvariant(field[0]) + field[1..]]; // "restoredFrom" is recorded camel-cased
        return text.ResourceNotFound ? field : text.Value;
    }

    /// <summary>
    /// Values that are codes in words: states, modes and kinds (stored by their English enum names), yes/no, languages,
    /// intents, roles, configuration paths, the app's own version comments, and people (stored by id) by their name when
    /// <paramref name="userName"/> knows them, and a message (stored by id) by its text when <paramref name="messageText"/> has it.
    /// Everything else (what a person typed, numbers, ids) as recorded.
    /// </summary>
    public static string? FieldValue(string field, string? value, IStringLocalizer l, Func<string, string?>? userName = null,
        Func<string, string?>? messageText = null) => value is null ? null : field switch
    {
        "MessageId" => messageText?.Invoke(value) is { } text ? $"“{text}”" : value, // what was sent, not its id
        "Role" or "Roles" => Each(value, r => Known(l, "Role" + r) ?? r),
        "Comment" => ConfigTexts.Comment(value, l),
        "Changes" => Each(value, p => ConfigTexts.FieldLabel(p, l)),
        "Intent" or "PreferredIntents" => Each(value, i => IntentNames.Intent(i, l)),
        "Language" => Known(l, "Language_" + value) ?? value,
        "Reason" => Localization.RejectionReason.Display(value, l), // a rejection's reason code, then the agent's own words
        "AssigneeUserId" or "ClaimedByUserId" or "UserId" or "AdminUserId" or "Mentioned" => Each(value, id => userName?.Invoke(id) ?? id),
        _ when bool.TryParse(value, out var yes) => l[yes ? "AuditValueYes" : "AuditValueNo"],
        _ when EnumKeys.TryGetValue(field, out var prefixes) => UiFormat.Capital(prefixes.Select(p => Known(l, p + value)).FirstOrDefault(t => t is not null)) ?? value, // a state word starts the cell
        _ => value,
    };

    /// <summary>The resource prefixes that name a field's enum values (the same words the rest of the UI uses for them).</summary>
    private static readonly Dictionary<string, string[]> EnumKeys = new(StringComparer.Ordinal)
    {
        ["State"] = ["State"],
        ["Value"] = ["AiMode", "ConversationStatus"], // conversation.ai-mode and conversation.status
        ["Mode"] = ["ImportMode", "AutoAssign"],
        ["Status"] = ["ImportStatus"],
        ["Kind"] = ["ModelKind"],
        ["Class"] = ["GuardrailClass"],
        ["Origin"] = ["SuggestionOrigin"],
    };

    private static string? Known(IStringLocalizer l, string key) => l[key] is { ResourceNotFound: false } t ? t.Value : null;


    private static string Each(string list, Func<string, string> name) => string.Join(", ", list.Split(", ").Select(name));

    /// <summary>Top-level fields of the before and after objects, changed ones only; nested values are shown as compact JSON.</summary>
    public static IReadOnlyList<Change> Changes(string? before, string? after)
    {
        var b = Fields(before);
        var a = Fields(after);
        return b.Keys.Concat(a.Keys.Where(k => !b.ContainsKey(k)))
            .Select(k => new Change(k, b.GetValueOrDefault(k), a.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After).ToList();
    }

    /// <summary>Top-level fields of a recorded object as text (a value that is not an object, or not JSON, under "").</summary>
    public static Dictionary<string, string?> Fields(string? json)
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
