using System.Globalization;
using System.Text.RegularExpressions;
using HitlConsole.Features.Admin.Audit;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace HitlConsole.Tests.Features.Admin;

/// <summary>
/// The audit log in words, in both languages: every action and field the app records (read from the code that records
/// them, so a new one is covered the day it is written) and the codes stored as values. No database.
/// </summary>
public sealed partial class AuditTextTests
{
    private static readonly IStringLocalizer L = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources")
        .BuildServiceProvider().GetRequiredService<IStringLocalizer<SharedResource>>();

    private static readonly string[] NotActions = ["knowledge.csv", "workspace.json", "draft.dispatch", "whatsapp.read"]; // file names and trace spans

    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Repo.PathOf("HitlConsole", "Features"), "*.cs", SearchOption.AllDirectories);

    /// <summary>The action codes in the code (<c>"draft.approved"</c>, also those passed on to the method that records them).</summary>
    private static IReadOnlyList<string> RecordedActions() => Sources()
        .SelectMany(f => ActionLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
        .Except(NotActions).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The member names of the objects handed to <c>db.Record(...)</c> and of the <c>Audited(...)</c> shapes.</summary>
    private static IReadOnlyList<string> RecordedFields()
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in Sources().Select(File.ReadAllText))
        {
            var calls = RecordCall().Matches(text).Select(m => Balanced(text, m.Index + m.Length - 1))
                .Concat(AuditedShape().Matches(text).Select(m => "new " + Balanced(text, m.Index + m.Length - 1)));
            foreach (var call in calls)
            foreach (Match shape in AnonymousObject().Matches(call))
            foreach (var member in shape.Groups[1].Value.Split(','))
            {
                var m = member.Trim();
                if (m.Length == 0) continue;
                var name = m.Contains('=') ? m[..m.IndexOf('=')].Trim() : m.Split('.')[^1].Trim();
                if (Regex.IsMatch(name, "^[A-Za-z]+$")) fields.Add(name);
            }
        }
        return fields.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>From the opening bracket at <paramref name="open"/> to its closing one.</summary>
    private static string Balanced(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] is '(' or '{') depth++;
            else if (text[i] is ')' or '}' && --depth == 0) return text[open..(i + 1)];
        }
        return text[open..];
    }

    private static T InCulture<T>(string culture, Func<T> read)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return read(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi); }
    }

    [Theory, InlineData("en"), InlineData("es")]
    public void Every_action_the_app_records_reads_as_a_sentence_a_filter_choice_and_a_group(string culture)
    {
        var actions = RecordedActions();
        Assert.Contains("draft.approved", actions);
        Assert.Contains("conversation.status", actions); // passed on to the method that records it
        var row = new GetAuditLog.Row(1, DateTime.UtcNow, "", null, "Ada", "Draft", null, null, null);
        var missing = InCulture(culture, () => actions.Where(a =>
            AuditText.Sentence(row with { Action = a }, L).Contains(a, StringComparison.Ordinal)
            || AuditText.ActionLabel(a, L) == a
            || AuditText.GroupLabel(a[..(a.IndexOf('.') + 1)], L).EndsWith('*')).ToList());
        Assert.True(missing.Count == 0, $"No words in {culture} for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_field_the_app_records_has_a_name_in_the_resources()
    {
        var fields = RecordedFields();
        Assert.Contains("AssigneeUserId", fields);
        Assert.Contains("MarkReadOnOpen", fields); // from Audited(channel)
        // The resource test keeps the Spanish keys equal to the English ones.
        var missing = fields.Where(f => L["AuditField" + char.ToUpperInvariant(f[0]) + f[1..]].ResourceNotFound).ToList();
        Assert.True(missing.Count == 0, "No name for the fields: " + string.Join(", ", missing));
    }

    [Fact]
    public void Codes_recorded_as_values_read_in_spanish()
    {
        string? Name(string id) => id == "u1" ? "Ada Admin" : null;
        var values = InCulture("es", () => new[]
        {
            AuditText.FieldValue("State", "Pending", L), AuditText.FieldValue("Value", "Resolved", L), AuditText.FieldValue("Value", "ReviewEverything", L),
            AuditText.FieldValue("Mode", "RoundRobin", L), AuditText.FieldValue("Status", "Completed", L), AuditText.FieldValue("Kind", "OpenAiCompatible", L),
            AuditText.FieldValue("Active", "true", L), AuditText.FieldValue("Pinned", "False", L), AuditText.FieldValue("Language", "en", L),
            AuditText.FieldValue("Intent", "payment_issue", L), AuditText.FieldValue("AssigneeUserId", "u1", L, Name),
            AuditText.FieldValue("Mentioned", "u1, u2", L, Name), AuditText.FieldValue("Origin", "HandWritten", L),
            AuditText.FieldValue("Reason", "RejectWrongTone: demasiado formal", L), AuditText.FieldValue("Reason", "ttl", L),
            AuditText.FieldLabel("restoredFrom", L), AuditText.ActionLabel("draft.approved", L), AuditText.GroupLabel("draft.", L),
        });
        Assert.Equal(new[]
        {
            "Pendiente", "Resuelta", "Revisar todo", "Por turnos entre las personas disponibles", "Importación terminada.", "Servidor compatible con OpenAI",
            "Sí", "No", "Inglés", L.WithCulture("es", "Intent_payment_issue"), "Ada Admin", "Ada Admin, u2", "Respuesta escrita por un agente",
            "Tono inadecuado: demasiado formal", "ttl",
            "Restaurada desde", "Aprobó un borrador", "Todas las acciones sobre borradores",
        }, values);
    }

    [GeneratedRegex("\"((?:draft|conversation|config|knowledge|knowledge-suggestion|knowledge-gap|channel|model-profile|user|message|whatsapp|saved-reply|team|workspace)(?:\\.[a-z]+(?:-[a-z]+)*)+)\"")]
    private static partial Regex ActionLiteral();

    [GeneratedRegex(@"\.Record\(")]
    private static partial Regex RecordCall();

    [GeneratedRegex(@"object Audited\([^)]*\) => new\s*\{")]
    private static partial Regex AuditedShape();

    [GeneratedRegex(@"new\s*\{([^{}]*)\}")]
    private static partial Regex AnonymousObject();
}

internal static class LocalizerInCulture
{
    public static string WithCulture(this IStringLocalizer l, string culture, string key)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { return l[key].Value; }
        finally { CultureInfo.CurrentUICulture = previous; }
    }
}
