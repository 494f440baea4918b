namespace HitlConsole.Domain;

public enum ImportMode { Append, Upsert, Replace }

public enum ImportStatus { Uploaded, Queued, Running, Completed, Failed, Cancelled }

/// <summary>One knowledge import: the uploaded file, its detected shape, the mapping and mode, and the outcome counters.</summary>
public sealed class KnowledgeImport : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string FileName { get; set; }
    /// <summary>Where the upload waits for its job (shared folder when several instances run jobs); deleted when the job ends.</summary>
    public required string FilePath { get; set; }
    public long SizeBytes { get; set; }
    public string Format { get; set; } = "";
    public string EncodingName { get; set; } = "";
    public string Delimiter { get; set; } = ",";
    /// <summary>JSON object field → source column.</summary>
    public string Mapping { get; set; } = "{}";
    public ImportMode Mode { get; set; }
    /// <summary>For upsert: the field whose value identifies an existing entry.</summary>
    public string? UpsertKey { get; set; }
    public string DefaultLanguage { get; set; } = "en";
    public ImportStatus Status { get; set; }
    public bool CancelRequested { get; set; }
    public long RowsRead { get; set; }
    public long Inserted { get; set; }
    public long Updated { get; set; }
    public long Duplicates { get; set; }
    public long Invalid { get; set; }
    /// <summary>For replace: the entries deleted when the import committed (0 when it failed or was cancelled and nothing was deleted).</summary>
    public long Deleted { get; set; }
    /// <summary>JSON array of {row, reason} for invalid rows (the first 1,000).</summary>
    public string Errors { get; set; } = "[]";
    public string? FailureReason { get; set; }
    public string? CreatedByUserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    /// <summary>
    /// When a running import on PostgreSQL last said it is alive (<see cref="Features.Knowledge.Import.ImportHeartbeat"/>): instances share
    /// the imports there, so a stale heartbeat is how one instance knows another's run died with its process. Null on SQLite.
    /// </summary>
    public DateTime? HeartbeatUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
}
