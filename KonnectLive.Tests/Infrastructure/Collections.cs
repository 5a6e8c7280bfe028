namespace KonnectLive.Tests.Infrastructure;

/// <summary>HTTP and hub tests share one running app.</summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
