using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Learning;

/// <summary>How corrections become knowledge: when an edit counts, how close two texts must be to be "the same question".</summary>
public sealed class LearningOptions
{
    public const string Section = "Learning";

    /// <summary>
    /// Share of the draft a person changed (edit distance over the longer text) from which the editor offers "Save as
    /// knowledge": a typo fixed is not a lesson, a rewritten answer is.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SubstantialEditShare { get; set; } = 0.2;

    /// <summary>Cosine similarity from which two questions fall into one cluster (suggestions and gaps).</summary>
    [Range(0.5, 1.0)]
    public double ClusterSimilarity { get; set; } = 0.75;

    /// <summary>How far back the knowledge gaps look by default.</summary>
    [Range(1, 366)]
    public int GapDays { get; set; } = 30;

    /// <summary>At most this many rows are clustered per view (newest first): the page stays fast on a busy workspace.</summary>
    [Range(10, 20_000)]
    public int MaxClusteredRows { get; set; } = 2000;
}
