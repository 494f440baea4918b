using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace HitlConsole.Infrastructure.Exports;

/// <summary>
/// How every file the app hands out is written, so each opens correctly in Excel and LibreOffice: CSV in UTF-8 with a
/// byte-order mark (without it Excel reads "ñ" as "Ã±"), JSON with accents and "¿" as themselves rather than \u escapes.
/// </summary>
public static class ExportFiles
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    private static readonly byte[] Bom = Encoding.UTF8.GetPreamble();

    /// <summary>Relaxed escaping is safe here: these files are downloads, never embedded in HTML or script.</summary>
    public static readonly JavaScriptEncoder JsonEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonWriterOptions JsonWriter = new() { Indented = true, Encoder = JsonEncoder };

    /// <summary>
    /// A header row (or a column of codes) in the UI language: each code is looked up as <c>Csv{Code}</c>. English keeps the
    /// codes scripts already read ("intent", "drafts"); Spanish gets words a person reads in Excel.
    /// </summary>
    public static string[] Localise(Microsoft.Extensions.Localization.IStringLocalizer l, IEnumerable<string> codes, string prefix = "Csv") =>
        codes.Select(c => l[prefix + Pascal(c)] is { ResourceNotFound: false } t ? t.Value : c).ToArray();

    /// <summary>Whether cells keep their codes ("track_order") in the current UI language: English, the language scripts read.</summary>
    public static bool KeepsCodes() => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    private static string Pascal(string code) =>
        string.Concat(code.Split('-', '_', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>A CSV writer on <paramref name="output"/> after the UTF-8 byte-order mark.</summary>
    public static async Task<CsvWriter> CsvAsync(Stream output, CancellationToken ct)
    {
        await output.WriteAsync(Bom, ct);
        return CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true);
    }
}
