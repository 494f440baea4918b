using HitlConsole.Infrastructure.Exports;
using System.Text.Json;
using CsvHelper;
using HitlConsole.Domain;

namespace HitlConsole.Features.Knowledge;

/// <summary>GET /knowledge/export?format=csv|json plus the grid's filters: the filtered knowledge as a download.</summary>
public static class KnowledgeExport
{
    public const string Path = "/knowledge/export";
    public static readonly string[] Columns = ["question", "answer", "category", "intent", "tags", "language", "active", "preferred"];

    public static IEndpointRouteBuilder MapKnowledgeExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    /// <summary>
    /// A cell a spreadsheet would run as a formula gets a leading apostrophe; the import removes exactly that
    /// apostrophe again, so export → import reproduces the data.
    /// </summary>
    public static string Neutralise(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value ?? "";

    public static string Restore(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;

    private static async Task ExportAsync(HttpContext http, GetKnowledgePage pages, TimeProvider clock, string? format, string? search, string? category,
        string? intent, string? language, bool? active, CancellationToken ct)
    {
        var filter = new GetKnowledgePage.Filter(search, category, intent, language, active);
        var json = string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
        http.Response.ContentType = json ? "application/json" : ExportFiles.CsvContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"knowledge-{stamp}.{(json ? "json" : "csv")}\"";
        var rows = pages.StreamAsync(filter, ct);
        if (json)
        {
            await using var writer = new Utf8JsonWriter(http.Response.Body, ExportFiles.JsonWriter);
            writer.WriteStartArray();
            await foreach (var r in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("question", r.Question);
                writer.WriteString("answer", r.Answer);
                writer.WriteString("category", r.Category);
                writer.WriteString("intent", r.Intent);
                writer.WriteString("tags", r.Tags);
                writer.WriteString("language", r.Language);
                writer.WriteBoolean("active", r.Active);
                writer.WriteBoolean("preferred", r.Preferred);
                writer.WriteEndObject();
                if (writer.BytesPending > 32 * 1024) await writer.FlushAsync(ct);
            }
            writer.WriteEndArray();
            await writer.FlushAsync(ct);
            return;
        }

        await WriteCsvAsync(http.Response.Body, rows, ct);
    }

    /// <summary>The CSV layout the import reads back; also the knowledge file of a whole-workspace export.</summary>
    public static async Task WriteCsvAsync(Stream output, IAsyncEnumerable<GetKnowledgePage.Row> rows, CancellationToken ct)
    {
        await using var csv = await ExportFiles.CsvAsync(output, ct);
        csv.WriteRecord(Columns);
        await foreach (var r in rows.WithCancellation(ct))
        {
            await csv.WriteRecordAsync([Neutralise(r.Question), Neutralise(r.Answer), Neutralise(r.Category), Neutralise(r.Intent),
                Neutralise(r.Tags), r.Language, r.Active ? "true" : "false", r.Preferred ? "true" : "false"], ct);
        }
        await csv.FlushAsync(ct);
    }
}
