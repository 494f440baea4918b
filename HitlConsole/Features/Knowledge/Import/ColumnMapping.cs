using System.Globalization;
using System.Text;

namespace HitlConsole.Features.Knowledge.Import;

public enum KnowledgeField { Question, Answer, Category, Intent, Tags, Language, Active, Preferred }

/// <summary>Which source column fills which field; <see cref="Suggest"/> recognises common English and Spanish headers.</summary>
public sealed record ColumnMapping(IReadOnlyDictionary<KnowledgeField, string> Columns)
{
    private static readonly (KnowledgeField Field, string[] Names)[] Known =
    [
        (KnowledgeField.Question, ["question", "instruction", "title", "utterance", "prompt", "query", "pregunta", "titulo", "consulta"]),
        (KnowledgeField.Answer, ["answer", "response", "content", "body", "reply", "text", "respuesta", "contenido", "cuerpo", "texto"]),
        (KnowledgeField.Category, ["category", "categoria", "section", "seccion"]),
        (KnowledgeField.Intent, ["intent", "intencion", "label"]),
        (KnowledgeField.Tags, ["tags", "tag", "keywords", "etiquetas", "palabras clave"]),
        (KnowledgeField.Language, ["language", "lang", "locale", "idioma", "lengua"]),
        (KnowledgeField.Active, ["active", "enabled", "activo", "activa", "habilitado"]),
        (KnowledgeField.Preferred, ["preferred", "featured", "pinned", "preferente", "preferida", "preferido", "destacada", "destacado"]),
    ];

    public string? ColumnFor(KnowledgeField field) => Columns.TryGetValue(field, out var c) ? c : null;

    public bool IsComplete => ColumnFor(KnowledgeField.Question) is not null && ColumnFor(KnowledgeField.Answer) is not null;

    /// <summary>For each field, the first known name (in priority order) among the columns; a column fills one field at most.</summary>
    public static ColumnMapping Suggest(IReadOnlyList<string> columns)
    {
        var byName = columns.GroupBy(Normalise).ToDictionary(g => g.Key, g => g.First());
        var used = new HashSet<string>();
        var mapping = new Dictionary<KnowledgeField, string>();
        foreach (var (field, names) in Known)
        {
            foreach (var name in names)
            {
                if (byName.TryGetValue(name, out var column) && used.Add(column))
                {
                    mapping[field] = column;
                    break;
                }
            }
        }
        return new ColumnMapping(mapping);
    }

    /// <summary>Lower case, accents removed, separators as spaces: "Categoría" and "CATEGORIA" are the same header.</summary>
    public static string Normalise(string header)
    {
        var decomposed = header.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(c is '_' or '-' or '.' ? ' ' : c);
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}

/// <summary>A source row turned into entry fields, or the reason it cannot be.</summary>
public sealed record MappedRow(long Row, KnowledgeInput? Input, string? Error);

public static class RowMapper
{
    /// <summary>The import's default language meaning "detect each row's language from its question and answer".</summary>
    public const string DetectLanguage = "detect";

    public static MappedRow Map(ImportRecord record, ColumnMapping mapping, string defaultLanguage)
    {
        if (record.Error is not null) return new MappedRow(record.Row, null, record.Error);
        string? Get(KnowledgeField f) => mapping.ColumnFor(f) is { } c && record.Fields.TryGetValue(c, out var v) && v is not null
            ? KnowledgeExport.Restore(v.Trim()) : null;

        var given = Get(KnowledgeField.Language);
        var language = (given is null && defaultLanguage == DetectLanguage
            ? Languages.TextLanguage.Shared.Detect($"{Get(KnowledgeField.Question)} {Get(KnowledgeField.Answer)}", "en")
            : given ?? defaultLanguage).ToLowerInvariant() switch
        {
            "en" or "english" or "inglés" or "ingles" or "en-us" or "en-gb" => "en",
            "es" or "spanish" or "español" or "espanol" or "es-es" or "es-mx" => "es",
            var other => other,
        };
        var active = Get(KnowledgeField.Active)?.ToLowerInvariant() is not ("false" or "0" or "no" or "inactive" or "inactivo" or "inactiva");
        var preferred = Get(KnowledgeField.Preferred)?.ToLowerInvariant() is "true" or "1" or "yes" or "y" or "x" or "sí" or "si" or "preferred" or "preferente" or "preferida";
        var intent = Localization.IntentNames.IntentCodeOf(Get(KnowledgeField.Intent));
        var input = new KnowledgeInput
        {
            Question = Get(KnowledgeField.Question) ?? "", Answer = Get(KnowledgeField.Answer) ?? "",
            // Names as the knowledge grid shows them, in either language, are stored by their codes. A row of a support
            // intent without a category is filed where the grid's category filter looks for that intent.
            Category = Localization.IntentNames.CategoryCodeOf(Get(KnowledgeField.Category)) is { } category && !string.IsNullOrWhiteSpace(category)
                ? category : Localization.IntentNames.CategoryOfIntent(intent),
            Intent = intent, Tags = Get(KnowledgeField.Tags), Language = language, Active = active,
            Preferred = preferred, KeepPreferred = mapping.ColumnFor(KnowledgeField.Preferred) is null,
        };
        var errors = ManageKnowledge.Validate(input);
        return errors.Count == 0 ? new MappedRow(record.Row, input, null)
            : new MappedRow(record.Row, null, errors.OrderBy(e => e.Key).First().Value);
    }
}
