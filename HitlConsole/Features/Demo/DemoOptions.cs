using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";
    public const string TenantName = "Demo Support";
    public static readonly IReadOnlyList<(string Email, string Role, string Name)> Users =
    [
        ("admin@demo.local", Domain.Roles.Admin, "Ada Admin"),
        ("agent@demo.local", Domain.Roles.Agent, "Alex Agent"),
        ("manager@demo.local", Domain.Roles.Manager, "Morgan Manager"),
    ];

    public bool Enabled { get; set; }
    public string? Password { get; set; }
    public DemoWhatsAppOptions WhatsApp { get; set; } = new();
    /// <summary>API key of the demo simulator channel; no simulator channel without it.</summary>
    public string? SimulatorApiKey { get; set; }
    /// <summary>Days of resolved demo conversations seeded for analytics on first run (0: none).</summary>
    [Range(0, 366)]
    public int HistoryDays { get; set; }

    /// <summary>
    /// Customers who wrote just before the demo started (first run only), in both languages, drafted by the model in charge and
    /// waiting for review: a newcomer's inbox has work in it, not only history (0: none).
    /// </summary>
    [Range(0, 50)]
    public int WaitingConversations { get; set; }

    /// <summary>Seeds the knowledge of only this many intents (alphabetically first); null seeds all of it.</summary>
    [Range(0, 1000)]
    public int? KnowledgeIntents { get; set; }

    /// <summary>The demo workspace lets agents publish their corrections as knowledge without an Admin.</summary>
    public bool AgentsPublishKnowledge { get; set; }
}

public sealed class DemoWhatsAppOptions
{
    public string? PhoneNumberId { get; set; }
    public string? AppSecret { get; set; }
    public string? VerifyToken { get; set; }
    public string? AccessToken { get; set; }
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";
    public string GraphVersion { get; set; } = "v21.0";
}

internal sealed class ValidateDemoOptions : Microsoft.Extensions.Options.IValidateOptions<DemoOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, DemoOptions o) =>
        o.Enabled && string.IsNullOrWhiteSpace(o.Password)
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail("Configuration key 'Demo:Password' is required when Demo:Enabled is true.")
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
