using System.ComponentModel.DataAnnotations;

namespace HitlConsole.Features.Inbox;

public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>How long a claim on a draft lasts without renewal; an open editor renews it every third of this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Blazor's keep-alive ping to the browser.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A browser silent for this long is gone: its circuit's leases and presence drop.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan ClientTimeoutInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a disconnected circuit is kept for the browser to reconnect to it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan DisconnectedCircuitRetention { get; set; } = TimeSpan.FromMinutes(3);
}
