using System.Net;
using KonnectLive.Core.Data;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Security;

/// <summary>The app as an operator starts it in production: empty database, no demo switch.</summary>
public sealed class ProductionAppFixture : AppFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:SeedDemoData", ""); // unset: the environment decides
    }
}

/// <summary>The app as <c>dotnet run</c> starts it: the launch profile's Development environment, no demo switch.</summary>
public sealed class DevelopmentAppFixture : AppFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:SeedDemoData", "");
    }
}

public sealed class ProductionStartTests(ProductionAppFixture app) : IClassFixture<ProductionAppFixture>
{
    [Fact]
    public async Task ProductionStart_EmptyDatabase_NoDemoUsersNoDemoApiClientNoBanner_FirstAdminFromCommand()
    {
        await using (var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(0, await db.Users.CountAsync()); // no account at all, so no known password
            Assert.False(await db.ApiClients.AnyAsync(c => c.ClientId == DatabaseInitializer.DemoApiClientId));
            Assert.False(await db.Dealerships.AnyAsync());
        }
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        var login = await anonymous.GetStringAsync("/account/login");
        Assert.DoesNotContain("demo-banner", login);
        Assert.DoesNotContain(DemoData.Password, login);
        var refused = await AppFixture.PostLoginAsync(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress },
            "admin", DemoData.Password);
        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);

        // The first admin: KonnectLive.Desktop --create-admin NAME prints a random password once.
        await using var scope = app.Services.CreateAsyncScope();
        var (created, password) = await FirstAdmin.CreateAsync(scope.ServiceProvider, "first.admin");
        Assert.True(created, password);
        Assert.NotEqual(DemoData.Password, password);
        using var admin = await app.SignInAsync("first.admin", password);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/configuration/users")).StatusCode);
        Assert.False((await FirstAdmin.CreateAsync(scope.ServiceProvider, "first.admin")).Created); // a taken name is refused
        Console.WriteLine("demo gate: Production start on an empty database: 0 users, 0 demo API clients, no banner");
    }
}

public sealed class DevelopmentStartTests(DevelopmentAppFixture app) : IClassFixture<DevelopmentAppFixture>
{
    [Fact]
    public async Task DevelopmentStart_EmptyDatabase_DemoSeeded_BannerShown()
    {
        await using (var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(DemoData.Users.Length, await db.Users.CountAsync());
            Assert.True(await db.ApiClients.AnyAsync(c => c.ClientId == DatabaseInitializer.DemoApiClientId));
        }
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        var login = await anonymous.GetStringAsync("/account/login");
        Assert.Contains("data-testid=\"demo-banner\"", login);
        Assert.Contains("Demo installation", login);
        using var demo = await app.SignInAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await demo.Client.GetAsync("/configuration/users")).StatusCode);
    }
}
