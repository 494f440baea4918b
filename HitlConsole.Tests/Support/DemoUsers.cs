namespace HitlConsole.Tests.Support;

public static class DemoUsers
{
    public const string Admin = "admin@demo.local";
    public const string Agent = "agent@demo.local";
    public const string Manager = "manager@demo.local";
}
