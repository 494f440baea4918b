namespace HitlConsole;

/// <summary>Marker for the UI strings in Resources/SharedResource(.es).resx.</summary>
public sealed class SharedResource;
