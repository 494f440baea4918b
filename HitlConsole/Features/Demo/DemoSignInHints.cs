using HitlConsole.Features.Account;
using Microsoft.Extensions.Options;

namespace HitlConsole.Features.Demo;

/// <summary>The demo's users on the sign-in page; the password only where it is the Development default.</summary>
internal sealed class DemoSignInHints(IOptions<DemoOptions> options, IHostEnvironment environment) : ISignInHints
{
    public IReadOnlyList<SignInHint> Accounts =>
        options.Value.Enabled ? DemoOptions.Users.Select(u => new SignInHint(u.Email, u.Role, u.Name)).ToList() : [];

    public string? Password =>
        options.Value.Enabled && environment.IsDevelopment() && options.Value.Password is { Length: > 0 } password ? password : null;
}
