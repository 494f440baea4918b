using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Knowledge.Search;

public sealed class EmbeddingOptions
{
    public const string Section = "Embeddings";

    /// <summary>How often the backlog of entries without a vector is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a search trusts its last look at the workspace's knowledge stamp. Writes made on this instance are
    /// seen at once whatever the window; another instance's writes within it, read beside the searches of a workspace in use
    /// (docs/adr/0019). Zero checks every time, before the search.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan IndexFreshness { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after the web server listens the models are loaded (seconds of both cores): the first sign-in pages after a
    /// restart come first. A draft needed before then loads what it needs itself. Zero loads them while the app starts,
    /// beside the migrations (the tests, whose first request would otherwise share the CPU with the loading).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan WarmUpDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many workspaces get their search indexes (vectors and text) built in the warm-up, the most recently active first,
    /// so their first draft after a restart does not wait for it; the others are built at their first search.
    /// </summary>
    [Range(0, 1000)]
    public int WarmWorkspaces { get; set; } = 10;

    [Range(1, 1024)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Off for one-shot command-line runs; the serving app computes the vectors later.</summary>
    public bool Enabled { get; set; } = true;
}
