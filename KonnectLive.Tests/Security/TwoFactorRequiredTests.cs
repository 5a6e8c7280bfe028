using System.Net;
using System.Text.RegularExpressions;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Security;

/// <summary>Its own app: turning "two-factor required" on would change every other test's admin and supervisor.</summary>
public sealed class TwoFactorRequiredAppFixture : AppFixture;

[CollectionDefinition(Name)]
public sealed class TwoFactorRequiredCollection : ICollectionFixture<TwoFactorRequiredAppFixture>
{
    public const string Name = "two-factor-required";
}

/// <summary>
/// Configuration → Security's "two-factor sign-in required for admins and supervisors", over HTTP against the real app:
/// every page of the route table, the live hub, the Blazor circuit hub and the export, before and after enrolling with a
/// real TOTP code computed here.
/// </summary>
[Collection(TwoFactorRequiredCollection.Name)]
public sealed class TwoFactorRequiredTests(TwoFactorRequiredAppFixture app)
{
    /// <summary>Every page that needs a signed-in user, with its route parameters filled in.</summary>
    private IReadOnlyList<string> SignedInPages(TestCustomer customer) =>
        [.. app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r != TwoFactorRequirement.EnrolPath)
            .Select(r => r switch
            {
                "/csi/call/{RecordId:int}" => $"/csi/call/{customer.RecordId}",
                "/customers/{Id:int}" => $"/customers/{customer.CustomerId}",
                _ when r.Contains('{') => throw new InvalidOperationException($"A page with a route parameter needs a value here: {r}"),
                _ => r,
            })
            .Distinct().Order()];

    [Fact]
    public async Task Required_UnenrolledAdminAndSupervisor_SentToEnrolFromEveryPage_AgentNot_EnrolmentWithATotpCodeRestoresAccess()
    {
        var shop = await app.NewDealershipAsync("TwoFactorRequired", customers: 1);
        var agent = await app.NewAgentAsync("Agnes Unaffected", shop.Id);
        var pages = SignedInPages(shop.Customers[0]);
        Assert.Contains("/configuration/users", pages);

        // Signed in before the switch: their cookies say "no two-factor"; the switch applies to them at their next request.
        using var admin = await app.SignInAsync("admin");
        using var supervisor = await app.SignInAsync("supervisor");
        using var caller = await app.SignInAsync(agent.UserName);
        var adminScope = (await app.Service<UserScopeLoader>().LoadAsync(await UserIdAsync("admin")))!;
        var settings = app.Service<SecuritySettingsService>();
        var turnedOn = await settings.UpdateAsync(adminScope, new SecuritySettingsInput { RequireTwoFactorForStaff = true });
        Assert.True(turnedOn.Succeeded, turnedOn.Message);
        try
        {
            var redirected = 0;
            foreach (var path in pages)
            {
                foreach (var (role, client) in new[] { ("admin", admin.Client), ("supervisor", supervisor.Client) })
                {
                    var response = await client.GetAsync(path);
                    Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == TwoFactorRequirement.EnrolPath,
                        $"{role} on {path}: {(int)response.StatusCode} {response.Headers.Location}");
                    redirected++;
                }
                var agentResponse = await caller.Client.GetAsync(path);
                Assert.False(agentResponse.Headers.Location?.OriginalString == TwoFactorRequirement.EnrolPath, $"the agent was sent to enrol from {path}");
            }
            // Not only pages: the live hub, the Blazor circuit hub and the export refuse; the log-in page sends to enrol too.
            foreach (var client in new[] { admin.Client, supervisor.Client })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null)).StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
                Assert.Equal(TwoFactorRequirement.EnrolPath, (await client.GetAsync("/account/login")).Headers.Location?.OriginalString);
            }
            // The export is a download a page links to: sent to enrol like a page, never the file.
            Assert.Equal(TwoFactorRequirement.EnrolPath, (await admin.Client.GetAsync($"/customers/{shop.Customers[0].CustomerId}/export")).Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await caller.Client.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null)).StatusCode);

            // Not locked out: the enrolment page opens, says why, and takes a real code.
            var enrol = await admin.Client.GetStringAsync(TwoFactorRequirement.EnrolPath);
            Assert.Contains("data-testid=\"two-factor-required\"", enrol);
            Assert.Contains("action=\"account/logout\"", enrol); // the way out while enrolment is required
            var key = Regex.Match(enrol, "data-testid=\"shared-key\">([^<]+)<").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
            var enabled = await TwoFactorTests.PostFormAsync(admin.Client, TwoFactorRequirement.EnrolPath, enrol, "enable",
                new() { ["Input.Code"] = TwoFactorTests.Totp(key, 0) });
            var enabledBody = await enabled.Content.ReadAsStringAsync();
            Assert.Contains("Two-factor sign-in is on.", enabledBody);
            Assert.DoesNotContain("Turn two-factor sign-in off", enabledBody); // required for this role: no way to turn it off

            // Access returns in the same browser, on every page; the supervisor, not enrolled, is still held.
            foreach (var path in pages)
            {
                var response = await admin.Client.GetAsync(path);
                Assert.True(response.Headers.Location?.OriginalString != TwoFactorRequirement.EnrolPath, $"admin still sent to enrol from {path}");
            }
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/configuration/security")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null)).StatusCode);
            Assert.Equal(TwoFactorRequirement.EnrolPath, (await supervisor.Client.GetAsync("/")).Headers.Location?.OriginalString);

            // From now on signing in asks for the code.
            using var fresh = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
            var afterPassword = await AppFixture.PostLoginAsync(fresh, "admin", DemoData.Password);
            Assert.Contains("/account/login-2fa", afterPassword.Headers.Location!.OriginalString);
            var codePage = await fresh.GetStringAsync("/account/login-2fa");
            // A code of the next 30-second step: the one just used to enrol may not be used twice.
            var signedIn = await TwoFactorTests.PostFormAsync(fresh, "/account/login-2fa", codePage, "login-2fa", new() { ["Input.Code"] = TwoFactorTests.Totp(key, 1) });
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/configuration/users")).StatusCode);

            await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == SecuritySettingsService.AuditAction && a.Details!.Contains("no → yes")));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == SignInAudit.TwoFactorEnabledAction && a.EntityId == adminScope.UserId));
            Console.WriteLine($"two-factor required: {pages.Count} pages × 2 staff roles → {redirected} sent to enrol, 0 for the agent; " +
                "hub and circuit refused, export sent to enrol; access back after enrolling");
        }
        finally
        {
            await settings.UpdateAsync(adminScope, new SecuritySettingsInput { RequireTwoFactorForStaff = false });
        }
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }
}
