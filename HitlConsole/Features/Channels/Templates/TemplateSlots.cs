using System.Text.Json;
using System.Text.RegularExpressions;

namespace HitlConsole.Features.Channels.Templates;

/// <summary>One parameter of a template: where it sits (header or body) and its name ("1" for positional, "first_name" for named).</summary>
public sealed record TemplateSlot(string Component, string Name)
{
    public bool Positional => Name.All(char.IsAsciiDigit);
}

/// <summary>A template's text parts and slots read from Meta's components, and the rendering of a filled-in template.</summary>
public static partial class TemplateSlots
{
    public sealed record Parsed(string? Header, string? Body, string? Footer, IReadOnlyList<TemplateSlot> Slots);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Parsed Parse(JsonElement components)
    {
        string? header = null, body = null, footer = null;
        if (components.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in components.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Object) continue;
                var type = c.TryGetProperty("type", out var t) ? t.GetString()?.ToUpperInvariant() : null;
                var text = c.TryGetProperty("text", out var x) && x.ValueKind == JsonValueKind.String ? x.GetString() : null;
                var format = c.TryGetProperty("format", out var f) ? f.GetString()?.ToUpperInvariant() : null;
                switch (type)
                {
                    case "HEADER" when format is null or "TEXT": header = text; break;
                    case "BODY": body = text; break;
                    case "FOOTER": footer = text; break;
                }
            }
        }
        var slots = Names(header).Select(n => new TemplateSlot("header", n)).Concat(Names(body).Select(n => new TemplateSlot("body", n))).ToList();
        return new Parsed(header, body, footer, slots);
    }

    public static string Serialize(IReadOnlyList<TemplateSlot> slots) => JsonSerializer.Serialize(slots, Json);

    public static IReadOnlyList<TemplateSlot> Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<TemplateSlot>>(json, Json) ?? [];

    /// <summary>The message as the customer will read it: header, body and footer with every slot filled in.</summary>
    public static string Render(string? header, string? body, string? footer, IReadOnlyList<TemplateSlot> slots, IReadOnlyList<string> values)
    {
        string Fill(string? text, string component) => text is null ? "" : Slot().Replace(text, m =>
        {
            var i = slots.ToList().FindIndex(s => s.Component == component && s.Name == m.Groups[1].Value);
            return i >= 0 && i < values.Count && !string.IsNullOrWhiteSpace(values[i]) ? values[i].Trim() : m.Value;
        });
        return string.Join("\n\n", new[] { Fill(header, "header"), Fill(body, "body"), footer ?? "" }.Where(p => p.Length > 0));
    }

    private static IEnumerable<string> Names(string? text) =>
        text is null ? [] : Slot().Matches(text).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Slot();
}
