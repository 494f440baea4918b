using HitlConsole.Features.Languages;
using System.Text.RegularExpressions;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>How many rows of one column look like personal data, and a few of them to show.</summary>
public sealed record PersonalDataFinding(int Count, IReadOnlyList<PersonalDataExample> Examples);

public sealed record PersonalDataExample(long Row, string Excerpt);

/// <summary>
/// Counts, per column, the rows that look like personal data: a long number (8+ digits: an order, account or card number),
/// an e-mail address or a phone number. Knowledge answers reach every customer, so another person's data in one is a
/// leak; the import wizard warns about them (and still imports: a support e-mail address is fine).
/// </summary>
public sealed partial class PersonalDataScan
{
    public const int MaxExamples = 3;
    private const int ExcerptRadius = 30;
    private readonly Dictionary<string, (int Count, List<PersonalDataExample> Examples)> _columns = new(StringComparer.OrdinalIgnoreCase);

    public void Add(ImportRecord record)
    {
        foreach (var (column, value) in record.Fields)
        {
            if (Find(value) is not { } match) continue;
            var (count, examples) = _columns.GetValueOrDefault(column, (0, []));
            if (examples.Count < MaxExamples) examples.Add(new PersonalDataExample(record.Row, Excerpt(value!, match)));
            _columns[column] = (count + 1, examples);
        }
    }

    public IReadOnlyDictionary<string, PersonalDataFinding> Findings =>
        _columns.ToDictionary(c => c.Key, c => new PersonalDataFinding(c.Value.Count, c.Value.Examples), StringComparer.OrdinalIgnoreCase);

    /// <summary>The first thing in <paramref name="text"/> that looks like personal data, if any.</summary>
    public static Match? Find(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : LongNumber().Match(text) is { Success: true } number ? number
        : EmailAddresses.Pattern().Match(text) is { Success: true } email ? email
        : Phone().Matches(text).FirstOrDefault(p => DigitCount(p.Value) is >= 9 and <= 15);

    private static int DigitCount(string s) => s.Count(char.IsAsciiDigit);

    private static string Excerpt(string text, Match m)
    {
        var start = Math.Max(0, m.Index - ExcerptRadius);
        var end = Math.Min(text.Length, m.Index + m.Length + ExcerptRadius);
        return Regex.Replace(text[start..end], @"\s+", " ").Trim();
    }

    [GeneratedRegex(@"(?<!\d)\d{8,}(?!\d)")]
    private static partial Regex LongNumber();

    // Digits in groups with spaces, dots, dashes or brackets, optionally after "+": "+34 600 111 222", "(555) 010-0199".
    [GeneratedRegex(@"(?<![\w+])\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,4}\)?){2,5}(?!\w)")]
    private static partial Regex Phone();
}
