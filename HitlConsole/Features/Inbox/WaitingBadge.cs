namespace HitlConsole.Features.Inbox;

/// <summary>
/// Per circuit: what <see cref="InboxAlerts"/> last counted, for the app bar's menu button. On a phone the drawer, and the
/// badge in it, is closed most of the time; the button carries the count there instead of the agent seeing nothing.
/// </summary>
public sealed class WaitingBadge
{
    public int Pending { get; private set; }
    public bool Blocked { get; private set; }

    public event Action? Changed;

    public void Set(int pending, bool blocked)
    {
        if (pending == Pending && blocked == Blocked) return;
        (Pending, Blocked) = (pending, blocked);
        Changed?.Invoke();
    }
}
