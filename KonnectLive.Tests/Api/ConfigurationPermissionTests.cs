using System.Net;
using System.Reflection;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers.Duplicates;
using KonnectLive.Core.Customers.Fields;
using KonnectLive.Core.Customers.Import;
using KonnectLive.Core.Data;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Api;

/// <summary>
/// An app of its own: <see cref="PermissionTests"/> locks the demo admin out on purpose, and these tests sign in as every
/// demo user. <see cref="SignInAuditTests"/> shares it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConfigurationAppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "configuration-app";
}

[Collection(ConfigurationAppCollection.Name)]
public sealed class ConfigurationPermissionTests(AppFixture app)
{
    /// <summary>Every routable page under /configuration/, read from the Desktop assembly so that a new page cannot be left out.</summary>
    public static IReadOnlyList<string> ConfigurationRoutes { get; } = typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t))
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template)
        .Where(t => t.StartsWith("/configuration/", StringComparison.OrdinalIgnoreCase))
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string, string> DemoUsers
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var u in DemoData.Users) data.Add(u.UserName, u.Role);
            return data;
        }
    }

    [Fact]
    public void ConfigurationRoutes_FoundByReflection_IncludeEveryKnownPageAndNoParameters()
    {
        Assert.Superset(new HashSet<string>
        {
            "/configuration/csi-settings", "/configuration/templates", "/configuration/customer-fields", "/configuration/import-customers",
            "/configuration/api-clients", "/configuration/inbound-log", "/configuration/users", "/configuration/dealerships",
            "/configuration/audit-log", "/configuration/outcomes", "/configuration/decline-reasons", "/configuration/retention",
            "/configuration/security",
        }, ConfigurationRoutes.ToHashSet());
        // A page with a route parameter would need a value here; fail loudly rather than skip it.
        Assert.DoesNotContain(ConfigurationRoutes, r => r.Contains('{'));
    }

    [Fact]
    public async Task Get_EveryConfigurationPage_SignedOut_RedirectsToLogin()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        foreach (var route in ConfigurationRoutes)
        {
            var response = await client.GetAsync(route);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route}: {(int)response.StatusCode}");
            Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        }
    }

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Get_EveryConfigurationPage_OnlyAdminsMayOpenIt(string userName, string role)
    {
        using var signedIn = await app.SignInAsync(userName);
        var failures = new List<string>();
        foreach (var route in ConfigurationRoutes)
        {
            var response = await signedIn.Client.GetAsync(route);
            var location = response.Headers.Location?.PathAndQuery ?? "";
            var ok = role == Roles.Admin
                ? response.StatusCode == HttpStatusCode.OK
                : response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/account/denied");
            if (!ok) failures.Add($"{route}: {(int)response.StatusCode} {location}");
        }
        Assert.True(failures.Count == 0, $"{userName} ({role}): " + string.Join("; ", failures));
    }

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Get_PossibleDuplicates_OnlyAdminsMayOpenIt(string userName, string role)
    {
        using var signedIn = await app.SignInAsync(userName);

        var response = await signedIn.Client.GetAsync("/customers/duplicates");

        if (role == Roles.Admin) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
        }
    }

    [Theory]
    [InlineData("agent.north1")]
    [InlineData("ho.agent")]
    [InlineData("supervisor")]
    public async Task AdminServices_NonAdminScope_RefuseEveryChange(string userName)
    {
        var user = await ScopeOfAsync(userName);
        var outcomes = app.Service<OutcomeAdminService>();
        var reasons = app.Service<DeclineReasonService>();
        var outcomeId = await OutcomeIdAsync(DatabaseInitializer.VoicemailOutcome);
        var reasonId = (await reasons.ListActiveAsync(user))[0].Id;

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => outcomes.ListAsync(user));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => outcomes.ListTemplateChoicesAsync(user));
        Assert.All(new[]
        {
            await outcomes.CreateAsync(user, new OutcomeInput { Name = "Sneaky outcome" }),
            await outcomes.UpdateAsync(user, new OutcomeInput { Id = outcomeId, Name = "Renamed" }),
            await outcomes.SetActiveAsync(user, outcomeId, false),
            await outcomes.MoveAsync(user, outcomeId, -1),
            await reasons.CreateAsync(user, "Sneaky reason"),
            await reasons.RenameAsync(user, reasonId, "Renamed"),
            await reasons.SetActiveAsync(user, reasonId, false),
            await reasons.MoveAsync(user, reasonId, 1),
        }, r => Assert.Equal(CallingAdminOutcome.Forbidden, r.Outcome));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => reasons.ListAllAsync(user));

        // The other Configuration services that check the caller themselves.
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.Service<UserAdminService>().ListAsync(user));
        Assert.Equal(UserAdminOutcome.Forbidden, (await app.Service<UserAdminService>().CreateAsync(
            new CreateUserCommand { UserName = "sneaky", DisplayName = "Sneaky", GeneratePassword = true, Roles = [Roles.Admin] }, user)).Outcome);
        Assert.Equal(DealershipSaveOutcome.Forbidden, (await app.Service<DealershipService>().CreateAsync(
            new DealershipInput { Code = "SNK", Name = "Sneaky", TimeZone = "Europe/London" }, user)).Outcome);
        Assert.False((await app.Service<CustomFieldService>().SaveAsync(user, new CustomFieldInput { Name = "Sneaky" })).Succeeded);
        Assert.False(await app.Service<CustomFieldService>().SetAgentsMayEditContactsAsync(user, true));
        Assert.Equal(CsiSettingsUpdateOutcome.Forbidden, (await app.Service<CsiSettingsService>().UpdateAsync(user, new CsiSettingsInput())).Outcome);
        Assert.False((await app.Service<CustomerImportService>().ImportAsync(user, "DealershipCode\nNGM\n"u8.ToArray(), "x.csv")).Succeeded);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.Service<AuditLogQuery>().GetPageAsync(user, new AuditLogRequest(0, 10)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => app.Service<PossibleDuplicatesService>().ListAsync(user));
        Assert.Equal(CommandOutcome.Forbidden, (await app.Service<PossibleDuplicatesService>().MergeAsync(user, 1, 2)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await app.Service<PossibleDuplicatesService>().MarkDifferentPeopleAsync(user, 1, 2)).Outcome);

        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        Assert.False(await db.CallOutcomes.AnyAsync(o => o.Name == "Sneaky outcome" || o.Name == "Renamed"));
        Assert.False(await db.DeclineReasons.AnyAsync(r => r.Name == "Sneaky reason" || r.Name == "Renamed"));
        Assert.True(await db.CallOutcomes.Where(o => o.Id == outcomeId).Select(o => o.IsActive).SingleAsync());
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "sneaky"));
        Assert.False(await db.Dealerships.AnyAsync(d => d.Code == "SNK"));
    }

    private async Task<UserScope> ScopeOfAsync(string userName)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        return (await app.Service<UserScopeLoader>().LoadAsync(id))!;
    }

    private async Task<int> OutcomeIdAsync(string name)
    {
        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        return await db.CallOutcomes.Where(o => o.Name == name).Select(o => o.Id).SingleAsync();
    }
}
