using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Knowledge.Import;

public sealed class KnowledgeImportOptions
{
    public const string Section = "KnowledgeImport";

    /// <summary>Largest upload accepted.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Where uploads wait for their job; relative paths are under the app's folder. Must be shared when several instances run jobs.</summary>
    [Required]
    public string Folder { get; set; } = "data/imports";

    /// <summary>How often a running import on PostgreSQL says it is alive; one silent for six beats is reported interrupted (<see cref="ImportHeartbeat"/>).</summary>
    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 20;

    public TimeSpan HeartbeatEvery => TimeSpan.FromSeconds(HeartbeatSeconds);

    public TimeSpan HeartbeatStaleAfter => 6 * HeartbeatEvery;
}
