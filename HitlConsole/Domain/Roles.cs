namespace HitlConsole.Domain;

public static class Roles
{
    public const string Agent = "Agent";
    public const string Manager = "Manager";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Agent, Manager, Admin];
}
