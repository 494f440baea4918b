using System.Text.Json;
using HitlConsole.Features.Localization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.AgentConfig;

/// <summary>Reads a file from <see cref="ExportAgentConfig"/> strictly (unknown fields refused, with their path) and saves it as a new version.</summary>
public sealed class ImportAgentConfig(IDbContextFactory<HitlDbContext> factory, TenantContext tenant, TimeProvider clock)
{
    public const int MaxImportBytes = 2 * 1024 * 1024;

    public async Task<ConfigVersionResult> HandleAsync(string json, string fileName, int? baseNumber, CancellationToken ct)
    {
        ExportAgentConfig.Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<ExportAgentConfig.Envelope>(json, AgentConfigDocument.Json);
        }
        catch (JsonException ex)
        {
            var detail = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? $"unknown field at {ex.Path}" : $"not valid JSON ({ex.Path ?? "start"})";
            return new ConfigVersionResult.Invalid(new Dictionary<string, string> { ["file"] = "ConfigImportInvalid" }, detail);
        }
        if (envelope?.Format != ExportAgentConfig.Format || envelope.Config is null)
            return new ConfigVersionResult.Invalid(new Dictionary<string, string> { ["file"] = "ConfigImportNotAConfig" });
        var comment = ConfigTexts.ImportedComment(Path.GetFileName(fileName), envelope.Version);
        return await ConfigVersionWriter.AddAsync(factory, tenant, clock, envelope.Config, baseNumber, comment[..Math.Min(comment.Length, 500)], null,
            "config.imported", ct);
    }
}
