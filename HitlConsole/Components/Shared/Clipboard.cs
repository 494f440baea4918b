using Microsoft.JSInterop;

namespace HitlConsole.Components.Shared;

public static class Clipboard
{
    /// <summary>
    /// Copies <paramref name="text"/> through the browser; false when the browser refused (a page not served over HTTPS, a
    /// denied permission), so the caller can say so. Left unhandled, the refusal would end the person's circuit.
    /// </summary>
    public static async Task<bool> TryCopyAsync(this IJSRuntime js, string text)
    {
        try
        {
            await js.InvokeVoidAsync("navigator.clipboard.writeText", text);
            return true;
        }
        catch (JSException)
        {
            return false;
        }
    }
}
