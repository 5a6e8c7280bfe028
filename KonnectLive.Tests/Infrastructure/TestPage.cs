namespace KonnectLive.Tests;

/// <summary>The page token tests take, renew and release leases with when only one page of each agent matters.</summary>
public static class TestPage
{
    public const string Token = "test-page-token";
}
