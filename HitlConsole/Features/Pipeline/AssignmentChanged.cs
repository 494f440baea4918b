using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Features.Pipeline;

/// <summary>A conversation changed hands; the new assignee's console tells them.</summary>
public sealed record AssignmentChanged(string? AssigneeUserId, string? ByUserId) : LivePayload;
