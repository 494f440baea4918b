using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Pipeline;

/// <summary>How the team's presence is read: after how many idle minutes a console counts as away.</summary>
public sealed class TeamOptions
{
    public const string Section = "Team";

    /// <summary>A person whose consoles had no activity for this long is shown as away and gets no new conversations.</summary>
    [Range(1, 1440)]
    public int IdleAwayMinutes { get; set; } = 15;

    /// <summary>How often consoles are checked for idleness and activity is written down.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan IdleAway => TimeSpan.FromMinutes(IdleAwayMinutes);
}
