using HitlConsole.Infrastructure.Exports;
using System.Text.Json;
using CsvHelper;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Knowledge.Import;

/// <summary>GET /knowledge/imports/{id}/report.csv: the import's counters and every reported invalid row with its reason.</summary>
public static class ImportReport
{
    public static IEndpointRouteBuilder MapImportReport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/knowledge/imports/{id:guid}/report.csv", DownloadAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    public static string PathFor(Guid importId) => $"/knowledge/imports/{importId}/report.csv";

    private static async Task<IResult> DownloadAsync(Guid id, IDbContextFactory<HitlDbContext> factory, HttpContext http,
        Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var import = await db.KnowledgeImports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return Results.NotFound();
        http.Response.ContentType = ExportFiles.CsvContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"import-report-{id:N}.csv\"";
        await using var csv = await ExportFiles.CsvAsync(http.Response.Body, ct);
        csv.WriteRecord(["row", "reason"]);
        foreach (var (label, value) in new[] { ("read", import.RowsRead), ("inserted", import.Inserted), ("updated", import.Updated),
                     ("duplicates", import.Duplicates), ("invalid", import.Invalid), ("deleted", import.Deleted) })
            csv.WriteRecord(["", $"{label}: {value}"]);
        csv.WriteRecord(["", $"status: {import.Status}" + (import.FailureReason is null ? "" : $" ({l[import.FailureReason].Value})")]);
        foreach (var error in JsonSerializer.Deserialize<List<JsonElement>>(import.Errors) ?? [])
            csv.WriteRecord([error.GetProperty("row").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), l[error.GetProperty("reason").GetString() ?? ""].Value]);
        await csv.FlushAsync(ct);
        return Results.Empty;
    }
}
