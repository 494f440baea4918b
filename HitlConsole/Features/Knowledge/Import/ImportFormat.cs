using System.Text;

namespace HitlConsole.Features.Knowledge.Import;

public enum ImportFileFormat { Csv, JsonArray, JsonLines }

/// <summary>What a file turned out to be: format, text encoding and, for CSV, the delimiter.</summary>
public sealed record ImportFileShape(ImportFileFormat Format, Encoding Encoding, string EncodingName, char Delimiter, bool EncodingIsFallback);

/// <summary>
/// Sniffs an uploaded file from its first bytes: BOMs (UTF-8, UTF-16 LE/BE), otherwise strict UTF-8, otherwise
/// Windows-1252 as the stated fallback; JSON by its first character; the CSV delimiter (, ; tab |) that splits
/// the header line into the most columns outside quotes.
/// </summary>
public static class ImportFormat
{
    public static readonly char[] Delimiters = [',', ';', '\t', '|'];
    private const int SampleBytes = 64 * 1024;

    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    public static async Task<ImportFileShape> DetectAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[SampleBytes];
        var read = await stream.ReadAtLeastAsync(buffer, SampleBytes, throwOnEndOfStream: false, ct);
        var sample = buffer.AsSpan(0, read);
        var (encoding, name, bomLength, fallback) = DetectEncoding(sample);
        // Cut at the last complete line so a multi-byte character split at the sample's end is not judged.
        var text = encoding.GetString(sample[bomLength..]);
        var first = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var format = first.StartsWith('[') ? ImportFileFormat.JsonArray : first.StartsWith('{') ? ImportFileFormat.JsonLines : ImportFileFormat.Csv;
        return new ImportFileShape(format, encoding, name, format == ImportFileFormat.Csv ? DetectDelimiter(first) : ',', fallback);
    }

    private static (Encoding, string, int, bool) DetectEncoding(ReadOnlySpan<byte> sample)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (new UTF8Encoding(false), "UTF-8 (BOM)", 3, false);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (new UnicodeEncoding(false, false), "UTF-16 LE", 2, false);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (new UnicodeEncoding(true, false), "UTF-16 BE", 2, false);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        try
        {
            // A multi-byte character may be cut by the sample's end: judge up to the last newline only.
            var end = sample.LastIndexOf((byte)'\n');
            strict.GetCharCount(end > 0 && sample.Length == SampleBytes ? sample[..end] : sample);
            return (new UTF8Encoding(false), "UTF-8", 0, false);
        }
        catch (DecoderFallbackException)
        {
            return (Windows1252, "Windows-1252", 0, true);
        }
    }

    /// <summary>The delimiter that splits the header into the most fields (ignoring quoted text); comma on a tie or none.</summary>
    public static char DetectDelimiter(string text)
    {
        var header = FirstRecord(text);
        return Delimiters.Select(d => (Delimiter: d, Count: CountOutsideQuotes(header, d)))
            .OrderByDescending(x => x.Count).ThenBy(x => Array.IndexOf(Delimiters, x.Delimiter)).First() is { Count: > 0 } best ? best.Delimiter : ',';
    }

    private static string FirstRecord(string text)
    {
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') inQuotes = !inQuotes;
            else if (!inQuotes && text[i] is '\n' or '\r') return text[..i];
        }
        return text;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        int count = 0;
        var inQuotes = false;
        foreach (var c in line)
        {
            if (c == '"') inQuotes = !inQuotes;
            else if (c == delimiter && !inQuotes) count++;
        }
        return count;
    }
}
