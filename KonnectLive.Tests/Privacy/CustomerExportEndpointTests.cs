using System.Net;
using System.Text.Json;
using KonnectLive.Tests.Api;
using KonnectLive.Tests.Infrastructure;

namespace KonnectLive.Tests.Privacy;

/// <summary>GET /customers/{id}/export on the app on Kestrel: only an admin gets the JSON; anyone else is refused by the server.</summary>
[Collection(ConfigurationAppCollection.Name)]
public sealed class CustomerExportEndpointTests(AppFixture app)
{
    [Fact]
    public async Task Export_Admin_DownloadsTheCustomersJson()
    {
        var dealership = await app.NewDealershipAsync("export", customers: 1);
        var customer = dealership.Customers[0];
        using var admin = await app.SignInAsync("admin");

        var response = await admin.Client.GetAsync($"/customers/{customer.CustomerId}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(customer.CustomerId, json.RootElement.GetProperty("Customer").GetProperty("Id").GetInt32());
    }

    [Theory]
    [InlineData("agent.north1")]
    [InlineData("ho.agent")]
    [InlineData("supervisor")]
    public async Task Export_NotAnAdmin_IsRefused(string userName)
    {
        var dealership = await app.NewDealershipAsync("export-refused", customers: 1);
        using var user = await app.SignInAsync(userName);

        var response = await user.Client.GetAsync($"/customers/{dealership.Customers[0].CustomerId}/export");

        // The cookie scheme answers a forbidden page request with a redirect to "Access denied"; never the data.
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{userName}: {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect) Assert.Contains("/account/denied", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
