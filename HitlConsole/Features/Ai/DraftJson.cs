using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace HitlConsole.Features.Ai;

/// <summary>The output contract as a model returns it.</summary>
public sealed record ModelAnswer(
    [property: JsonPropertyName("reply")] string? Reply,
    [property: JsonPropertyName("alternatives")] List<string>? Alternatives,
    [property: JsonPropertyName("intent")] string? Intent,
    [property: JsonPropertyName("classification")] string? Classification,
    [property: JsonPropertyName("confidence")] JsonElement Confidence,
    [property: JsonPropertyName("sources")] List<JsonElement>? Sources,
    [property: JsonPropertyName("out_of_knowledge")] bool? OutOfKnowledge,
    [property: JsonPropertyName("reasoning")] string? Reasoning);

/// <summary>
/// Reads the contract leniently: servers that ignore the JSON schema still tend to answer with JSON inside a
/// code fence or surrounded by prose.
/// </summary>
public static partial class DraftJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    public static ModelAnswer? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        foreach (var candidate in Candidates(text))
        {
            try
            {
                var answer = JsonSerializer.Deserialize<ModelAnswer>(candidate, Options);
                if (answer is { Reply: { Length: > 0 } }) return answer;
            }
            catch (JsonException)
            {
                // try the next shape
            }
        }
        return null;
    }

    private static IEnumerable<string> Candidates(string text)
    {
        yield return text.Trim();
        foreach (Match m in Fence().Matches(text)) yield return m.Groups[1].Value.Trim();
        int start = text.IndexOf('{'), end = text.LastIndexOf('}');
        if (start >= 0 && end > start) yield return text[start..(end + 1)];
    }

    public static int ConfidenceOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var d) => (int)Math.Round(d <= 1 && d > 0 && d % 1 != 0 ? d * 100 : d),
        JsonValueKind.String when double.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var d) => (int)Math.Round(d),
        _ => 50,
    };

    [GeneratedRegex(@"```(?:json)?\s*(.*?)```", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Fence();
}
