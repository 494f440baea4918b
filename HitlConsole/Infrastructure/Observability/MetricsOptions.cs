using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Infrastructure.Observability;

/// <summary><c>/metrics</c> carries workspace ids: when <see cref="BearerToken"/> is set, a scrape must send
/// <c>Authorization: Bearer &lt;token&gt;</c> (docs/operations.md).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Empty: <c>/metrics</c> is open (keep it on a private network). Set: at least 16 characters.</summary>
    [MinLength(16)]
    public string? BearerToken { get; set; }
}
