namespace HitlConsole.Features.AgentConfig;

/// <summary>What writing to the versions of the agent configuration came to; the pages show each one.</summary>
public abstract record ConfigVersionResult
{
    private ConfigVersionResult() { }

    public sealed record Saved(int Number) : ConfigVersionResult;

    /// <summary><paramref name="Errors"/>: field path → message key, as <see cref="ConfigValidator"/> and the editors use them.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors, string? Detail = null) : ConfigVersionResult;

    /// <summary>Someone saved since <c>base</c>: their version and what differs from the document being saved.</summary>
    public sealed record Conflict(ConfigVersionView Current, AgentConfigDocument CurrentDocument, IReadOnlyList<ConfigField> Differences)
        : ConfigVersionResult;

    public sealed record Frozen(int Number) : ConfigVersionResult;
    public sealed record Unchanged(int Number) : ConfigVersionResult;
    public sealed record NotFound : ConfigVersionResult;
}
