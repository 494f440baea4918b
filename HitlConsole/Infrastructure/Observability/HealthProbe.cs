namespace HitlConsole.Infrastructure.Observability;

/// <summary>
/// `dotnet HitlConsole.dll --health-probe URL` exits 0 when URL answers 2xx: the container
/// HEALTHCHECK, since the runtime image has no curl or wget.
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--health-probe";

    public static async Task<int> RunAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            return 1;
        }
    }
}
