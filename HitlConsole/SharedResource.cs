namespace HitlConsole;

/// <summary>Marker for the UI strings in Resources/SharedResource(.es).resx.</summary>
public sealed class SharedResource;

/// <summary>Marker for Resources/MudBlazorStrings(.es).resx: MudBlazor's own texts in our languages.</summary>
public sealed class MudBlazorStrings;
