using System.Text.Json;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Exports;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Platform;

/// <summary>
/// How a workspace shares its work, in its export: teams.json (teams, their members and leads, automatic assignment) and
/// saved-replies.csv (the workspace's replies and each person's own). People are named by e-mail, as in members.csv, so
/// the files read without the user ids of this installation.
/// </summary>
internal static class TeamsFile
{
    public static async Task WriteTeamsAsync(IDbContextFactory<HitlDbContext> factory, Guid workspaceId, Stream output, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var settings = await db.Tenants.AsNoTracking().Where(t => t.Id == workspaceId)
            .Select(t => new { t.AutoAssignMode, t.AutoAssignCap, t.AutoAssignTeamId }).SingleAsync(ct);
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var members = await (from m in db.TeamMembers.AsNoTracking()
                             join u in db.Users on m.UserId equals u.Id into users
                             from u in users.DefaultIfEmpty()
                             select new { m.TeamId, Email = u != null ? u.Email : m.UserId, Name = u != null ? u.DisplayName : null, m.IsLead })
            .ToListAsync(ct);

        await using var json = new Utf8JsonWriter(output, ExportFiles.JsonWriter);
        json.WriteStartObject();
        json.WriteStartObject("autoAssign");
        json.WriteString("mode", settings.AutoAssignMode.ToString());
        json.WriteNumber("cap", settings.AutoAssignCap);
        json.WriteString("team", teams.FirstOrDefault(t => t.Id == settings.AutoAssignTeamId)?.Name);
        json.WriteEndObject();
        json.WriteStartArray("teams");
        foreach (var team in teams)
        {
            json.WriteStartObject();
            json.WriteString("name", team.Name);
            json.WriteString("createdUtc", ExportWorkspace.Utc(team.CreatedUtc));
            json.WriteStartArray("members");
            foreach (var m in members.Where(m => m.TeamId == team.Id).OrderByDescending(m => m.IsLead).ThenBy(m => m.Email, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("email", m.Email);
                json.WriteString("displayName", m.Name);
                json.WriteBoolean("lead", m.IsLead);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    /// <summary>An empty owner is the workspace's reply; otherwise the e-mail of the person who keeps it for themselves.</summary>
    public static async Task WriteSavedRepliesAsync(IDbContextFactory<HitlDbContext> factory, Stream output, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var csv = await ExportFiles.CsvAsync(output, ct);
        csv.WriteRecord(["shortcut", "language", "text", "owner"]);
        var rows = from r in db.SavedReplies.AsNoTracking()
                   join u in db.Users on r.OwnerUserId equals u.Id into owners
                   from u in owners.DefaultIfEmpty()
                   orderby r.OwnerUserId != null, r.Shortcut, r.Language
                   select new { r.Shortcut, r.Language, r.Text, r.OwnerUserId, Email = u != null ? u.Email : null };
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            await csv.WriteRecordAsync([KnowledgeExport.Neutralise(r.Shortcut), r.Language, KnowledgeExport.Neutralise(r.Text),
                r.OwnerUserId is null ? "" : KnowledgeExport.Neutralise(r.Email ?? r.OwnerUserId)], ct);
        }
        await csv.FlushAsync(ct);
    }
}
