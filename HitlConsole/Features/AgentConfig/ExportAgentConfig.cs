using System.Text.Json;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>A version of the agent configuration as a file to keep or move to another workspace. It holds no secrets by construction.</summary>
public sealed class ExportAgentConfig(IDbContextFactory<HitlDbContext> factory, TimeProvider clock)
{
    public const string Format = "hitlconsole.agent-config";

    /// <summary>The exported file: the version, where it came from, and the configuration (read back by <see cref="ImportAgentConfig"/>).</summary>
    public sealed class Envelope
    {
        public string? Format { get; set; }
        public int? Version { get; set; }
        public string? Name { get; set; }
        public string? Comment { get; set; }
        public DateTime? ExportedUtc { get; set; }
        public AgentConfigDocument? Config { get; set; }
    }

    /// <summary>The file's JSON; null when there is no such version.</summary>
    public async Task<string?> HandleAsync(int number, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = await db.ConfigVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Number == number, ct);
        if (version is null) return null;
        var envelope = new Envelope
        {
            Format = Format, Version = version.Number, Name = version.Name, Comment = version.Comment,
            ExportedUtc = clock.GetUtcNow().UtcDateTime, Config = AgentConfigDocument.FromJson(version.Document, strict: false),
        };
        return JsonSerializer.Serialize(envelope, AgentConfigDocument.Json);
    }
}
