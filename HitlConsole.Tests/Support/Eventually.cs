namespace HitlConsole.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until <paramref name="probe"/> returns a value, or fails after <paramref name="seconds"/>.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, double seconds = 20, string? what = null) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {seconds} s waiting for {what ?? typeof(T).Name}.");
            await Task.Delay(50);
        }
    }
}
