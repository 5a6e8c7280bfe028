using System.Net;
using KonnectLive.Core.Data;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Api;

/// <summary>
/// The first load of a customer's address: 404 for a customer who does not exist and for one of another dealership
/// (the same answer, so nothing leaks), 200 for one the user may see. The page itself says "Customer not found" in its
/// circuit (CustomerPageTests).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CustomerPageStatusTests(AppFixture app)
{
    private async Task<(int North, int South)> DemoCustomersAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var north = await db.Customers.Where(c => c.Dealership.Code == "NGM").Select(c => c.Id).FirstAsync();
        var south = await db.Customers.Where(c => c.Dealership.Code == "SBC").Select(c => c.Id).FirstAsync();
        return (north, south);
    }

    [Fact]
    public async Task Get_CustomerThatDoesNotExist_Is404()
    {
        using var session = await app.SignInAsync("agent.north1");

        var response = await session.Client.GetAsync("/customers/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // Still the app (its circuit renders "Customer not found"), not a bare status code.
        Assert.Matches("_framework/blazor\\.web(\\.[a-z0-9]+)?\\.js", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_CustomerOfAnotherDealership_Is404AndOwnIs200()
    {
        var (north, south) = await DemoCustomersAsync();
        using var session = await app.SignInAsync("agent.north1");

        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/customers/{south}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/customers/{north}")).StatusCode);
    }

    [Fact]
    public async Task Get_AnyDealershipsCustomerAsHeadOffice_Is200()
    {
        var (_, south) = await DemoCustomersAsync();
        using var session = await app.SignInAsync("ho.agent");

        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/customers/{south}")).StatusCode);
    }
}
