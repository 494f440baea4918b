using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Hangfire";

    /// <summary>How often idle workers look for new jobs: the wait between a stored message and its draft job starting (SQLite storage's own default of 15 s makes jobs look stuck; 200 ms costs a few indexed queries a second per worker).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Run a job server in this instance; off for web-only instances.</summary>
    public bool ServerEnabled { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;
}
