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

    /// <summary>A CSV writer on <paramref name="output"/> after the UTF-8 byte-order mark.</summary>
    public static async Task<CsvWriter> CsvAsync(Stream output, CancellationToken ct)
    {
        await output.WriteAsync(Bom, ct);
        return CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true);
    }
}
