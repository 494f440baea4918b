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
}

internal sealed class ValidateDemoOptions : Microsoft.Extensions.Options.IValidateOptions<DemoOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, DemoOptions o) =>
        o.Enabled && string.IsNullOrWhiteSpace(o.Password)
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail("Configuration key 'Demo:Password' is required when Demo:Enabled is true.")
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
