using System.Security.Claims;
using HitlConsole.Features.Account;

namespace HitlConsole.Features.Platform;

/// <summary>
/// The platform operator acting. Platform handlers run in a scope with no workspace (so no query filter narrows them and
/// no tenant guard stamps their writes); who acted is passed explicitly and recorded in the platform audit.
/// </summary>
public sealed record PlatformActor(string UserId, string? Email)
{
    public static PlatformActor? From(ClaimsPrincipal user) =>
        user.HasClaim(WorkspaceSession.PlatformClaim, WorkspaceSession.PlatformOperator) && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? new PlatformActor(id, user.FindFirstValue(ClaimTypes.Email) ?? user.FindFirstValue(ClaimTypes.Name))
            : null;
}
