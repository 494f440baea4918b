using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>One source row: its 1-based number among the file's non-blank data rows, its fields by column name, or why it could not be read.</summary>
public sealed record ImportRecord(long Row, IReadOnlyDictionary<string, string?> Fields, string? Error = null);

/// <summary>Streams the rows of a CSV, JSON array or JSON Lines file without holding the file in memory.</summary>
public static class ImportRecords
{
    /// <summary>A field longer than this makes its row invalid rather than the whole import a memory problem.</summary>
    public const int MaxFieldLength = 100_000;

    public static async IAsyncEnumerable<ImportRecord> ReadAsync(Stream stream, ImportFileShape shape, [EnumeratorCancellation] CancellationToken ct)
    {
        var source = shape.Format switch
        {
            ImportFileFormat.JsonArray => ReadJsonArrayAsync(stream, ct),
            ImportFileFormat.JsonLines => ReadJsonLinesAsync(stream, shape, ct),
            _ => ReadCsvAsync(stream, shape, ct),
        };
        await foreach (var record in source.WithCancellation(ct)) yield return record;
    }

    /// <summary>Column names and the first rows, for the wizard's preview and mapping step.</summary>
    public static async Task<(IReadOnlyList<string> Columns, IReadOnlyList<ImportRecord> Rows)> PreviewAsync(Stream stream, ImportFileShape shape, int rows, CancellationToken ct)
    {
        var preview = new List<ImportRecord>();
        var columns = new List<string>();
        await foreach (var record in ReadAsync(stream, shape, ct))
        {
            foreach (var name in record.Fields.Keys) if (!columns.Contains(name)) columns.Add(name);
            preview.Add(record);
            if (preview.Count >= rows) break;
        }
        return (columns, preview);
    }

    private static async IAsyncEnumerable<ImportRecord> ReadCsvAsync(Stream stream, ImportFileShape shape, [EnumeratorCancellation] CancellationToken ct)
    {
        using var text = new StreamReader(stream, shape.Encoding, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        // Malformed quoting is reported, not only recovered from: an unclosed quote otherwise swallows the rest of the file into
        // one row that imports as a junk entry.
        CsvMalformedReason? malformed = null;
        var options = new CsvReaderOptions
        {
            Separator = shape.Delimiter, HasHeader = true, SkipEmptyLines = true, AllowLineBreaksInQuotes = true,
            OnMalformedRecord = m => malformed ??= m.Reason,
        };
        await using var csv = CsvReader.Create(text, options, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        // A trailing delimiter makes an empty, nameless last column: ignore columns without a name.
        var headers = csv.Headers.Select((h, i) => (Name: h.Trim().TrimStart('\uFEFF'), Index: i)).Where(h => h.Name.Length > 0).ToList();
        var width = csv.Headers.Count;
        long row = 0;
        malformed = null;
        while (await csv.ReadAsync(ct))
        {
            var reason = malformed;
            malformed = null;
            if (Enumerable.Range(0, csv.FieldCount).All(i => string.IsNullOrWhiteSpace(csv.GetString(i)))) continue; // blank or whitespace-only line
            row++;
            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            // More filled fields than the header has columns: a delimiter inside an unquoted text, or a missing quote. Fewer
            // are fine (optional columns left out).
            string? error = reason is not null ? "ImportRowMalformedQuotes"
                : Enumerable.Range(width, Math.Max(0, csv.FieldCount - width)).Any(i => !string.IsNullOrWhiteSpace(csv.GetString(i))) ? "ImportRowExtraFields"
                : null;
            foreach (var (name, index) in headers)
            {
                var value = index < csv.FieldCount ? csv.GetString(index) : null;
                if (value?.Length > MaxFieldLength) { error = "ImportRowFieldTooLong"; value = null; }
                fields[name] = value;
            }
            yield return new ImportRecord(row, fields, error);
        }
    }

    private static async IAsyncEnumerable<ImportRecord> ReadJsonArrayAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        long row = 0;
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: ct))
        {
            row++;
            yield return element.ValueKind == JsonValueKind.Object
                ? new ImportRecord(row, Flatten(element))
                : new ImportRecord(row, new Dictionary<string, string?>(), "ImportRowNotObject");
        }
    }

    private static async IAsyncEnumerable<ImportRecord> ReadJsonLinesAsync(Stream stream, ImportFileShape shape, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, shape.Encoding, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        long row = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            row++;
            ImportRecord record;
            try
            {
                using var doc = JsonDocument.Parse(line);
                record = doc.RootElement.ValueKind == JsonValueKind.Object
                    ? new ImportRecord(row, Flatten(doc.RootElement))
                    : new ImportRecord(row, new Dictionary<string, string?>(), "ImportRowNotObject");
            }
            catch (JsonException)
            {
                record = new ImportRecord(row, new Dictionary<string, string?>(), "ImportRowBadJson");
            }
            yield return record;
        }
    }

    private static Dictionary<string, string?> Flatten(JsonElement obj)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in obj.EnumerateObject())
        {
            fields[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.Array => string.Join(",", p.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                _ => p.Value.GetRawText(),
            };
        }
        return fields;
    }
}
