namespace HitlConsole.Infrastructure;

/// <summary>
/// A model that is slow to load the first time (a few seconds, once per process). The knowledge embedder runs every
/// warm-up side by side before its first sweep, so no customer's draft waits for a load.
/// </summary>
public interface IWarmUp
{
    void WarmUp();
}
