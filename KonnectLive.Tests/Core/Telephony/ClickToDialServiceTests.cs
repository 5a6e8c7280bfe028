using System.Net;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Telephony.Dialing;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Telephony;

/// <summary>
/// Click-to-dial against a real originate endpoint on 127.0.0.1: what a dial sends, and each refusal the server makes
/// whatever the page showed — nothing reaches the provider then, and every dial (sent or refused) is audited.
/// </summary>
public sealed class ClickToDialServiceTests : IAsyncLifetime
{
    private static readonly UserScope Admin = new("admin-1", "Ada Admin", null, true, [Roles.Admin]);
    private const string Key = "originate-secret-key";
    private CoreTestDatabase _db = null!;
    private readonly OriginateServer _provider = new();
    private ClickToDialService Dialler => _db.Services.GetRequiredService<ClickToDialService>();
    private TelephonySettingsService Settings => _db.Services.GetRequiredService<TelephonySettingsService>();

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        _provider.Dispose();
        await _db.DisposeAsync();
    }

    private async Task ConfigureAsync(int timeoutSeconds = 5) =>
        Assert.Equal(CommandOutcome.Done, (await Settings.UpdateAsync(Admin, new TelephonySettingsInput
        {
            DialEnabled = true, OriginateUrl = _provider.Url, ApiKey = Key, DialTimeoutSeconds = timeoutSeconds,
        })).Outcome);

    private async Task<UserScope> AgentAsync(int dealershipId, string? extension)
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = $"agent{Guid.NewGuid():N}"[..20], DisplayName = "Dana Dialler", DealershipId = dealershipId, CsiVoiceEnabled = true, Extension = extension };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        return new UserScope(user.Id, user.DisplayName, dealershipId, true, [Roles.Agent]);
    }

    private async Task<(int PhoneId, int CustomerId)> PhoneAsync(int dealershipId, string number, Action<CustomerPhone>? change = null)
    {
        var record = await _db.AddAwaitingRecordAsync(dealershipId, phones: number);
        await using var db = _db.NewDbContext();
        var phone = await db.CustomerPhones.SingleAsync(p => p.CustomerId == record.CustomerId);
        if (change is not null)
        {
            change(phone);
            await db.SaveChangesAsync();
        }
        return (phone.Id, record.CustomerId);
    }

    private async Task<List<string>> AuditAsync(string action)
    {
        await using var db = _db.NewDbContext();
        return await db.AuditEntries.Where(a => a.Action == action).Select(a => a.Details!).ToListAsync();
    }

    [Fact]
    public async Task DialAsync_CallableNumber_ProviderGetsTheAgentsExtensionTheNumberInE164TheCustomerAndTheKey_Audited()
    {
        await ConfigureAsync();
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, "2001");
        var (phoneId, customerId) = await PhoneAsync(shop.Id, "07700 900123");

        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Done, result.Outcome);
        Assert.Contains("extension 2001", result.Message);
        var sent = Assert.Single(_provider.Received);
        Assert.Equal(("2001", "+447700900123", customerId, Key), (sent.Extension, sent.Number, sent.CustomerId, sent.ApiKey));
        Assert.Equal(sent.Reference, sent.IdempotencyKey);
        var audit = Assert.Single(await AuditAsync(ClickToDialService.AuditDialled));
        Assert.Contains("+447700900123 from extension 2001", audit);
        Assert.DoesNotContain(Key, audit);
    }

    [Fact]
    public async Task DialAsync_NumberUnsubscribedFromCalls_RefusedNothingSent()
    {
        await ConfigureAsync();
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, "2002");
        var (phoneId, _) = await PhoneAsync(shop.Id, "07700 900124", p => p.Unsubscribe(ContactChannel.Call, "Customer", _db.Now));

        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Contains("unsubscribed from calls", result.Message);
        Assert.Empty(_provider.Received);
        Assert.Single(await AuditAsync(ClickToDialService.AuditRefused));
    }

    [Fact]
    public async Task DialAsync_WrongNumber_RefusedNothingSent()
    {
        await ConfigureAsync();
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, "2003");
        var (phoneId, _) = await PhoneAsync(shop.Id, "07700 900125", p => p.MarkWrongNumber("Dana", _db.Now));

        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Contains("wrong number", result.Message);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task DialAsync_NotAPhoneNumber_RefusedNothingSent()
    {
        await ConfigureAsync();
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, "2004");
        var (phoneId, _) = await PhoneAsync(shop.Id, "12");

        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Contains("not a valid phone number", result.Message);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task DialAsync_CustomerOfAnotherDealership_ForbiddenNothingSent()
    {
        await ConfigureAsync();
        var shop = await _db.AddDealershipAsync();
        var other = await _db.AddDealershipAsync("Southside Cars");
        var agent = await AgentAsync(shop.Id, "2005");
        var (phoneId, customerId) = await PhoneAsync(other.Id, "07700 900126");

        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Forbidden, result.Outcome);
        Assert.Contains("another dealership", result.Message);
        Assert.DoesNotContain("07700", result.Message);
        Assert.Empty(_provider.Received);
        await using var db = _db.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == ClickToDialService.AuditRefused && a.CustomerId == customerId && a.UserId == agent.UserId));
    }

    [Fact]
    public async Task DialAsync_AgentWithoutExtension_RefusedWithWhatToDo()
    {
        await ConfigureAsync();
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, extension: null);
        var (phoneId, _) = await PhoneAsync(shop.Id, "07700 900127");

        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Equal(ClickToDialService.NoExtension, result.Message);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task DialAsync_NoProviderConfigured_RefusedAndPagesKeepTelLinks()
    {
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, "2006");
        var (phoneId, _) = await PhoneAsync(shop.Id, "07700 900128");

        Assert.False(await Settings.DialEnabledAsync());
        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task DialAsync_ProviderSlowerThanTheTimeout_ToldItDidNotAnswer()
    {
        await ConfigureAsync(timeoutSeconds: 1);
        _provider.Delay = TimeSpan.FromSeconds(4);
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, "2007");
        var (phoneId, _) = await PhoneAsync(shop.Id, "07700 900129");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Contains("did not answer within 1 seconds", result.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"took {clock.Elapsed}");
        Assert.Contains("did not answer", Assert.Single(await AuditAsync(ClickToDialService.AuditDialled)));
    }

    [Fact]
    public async Task DialAsync_ProviderRefuses_AgentToldWithItsStatus()
    {
        await ConfigureAsync();
        _provider.Status = HttpStatusCode.Conflict;
        var shop = await _db.AddDealershipAsync();
        var agent = await AgentAsync(shop.Id, "2008");
        var (phoneId, _) = await PhoneAsync(shop.Id, "07700 900130");

        var result = await Dialler.DialAsync(agent, phoneId);

        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Contains("409", result.Message);
    }

    [Fact]
    public async Task UpdateAsync_KeyStoredEncryptedNeverInTheAudit_NonAdminForbidden_OnWithoutEndpointInvalid()
    {
        var supervisor = new UserScope("sup-1", "Sam", null, false, [Roles.Supervisor]);
        Assert.Equal(CommandOutcome.Forbidden, (await Settings.UpdateAsync(supervisor, new TelephonySettingsInput { DialEnabled = true, OriginateUrl = _provider.Url, ApiKey = Key })).Outcome);
        var invalid = await Settings.UpdateAsync(Admin, new TelephonySettingsInput { DialEnabled = true, ApiKey = Key });
        Assert.Equal(CommandOutcome.Invalid, invalid.Outcome);
        Assert.Contains(invalid.Errors, e => e.Property == nameof(TelephonySettingsInput.OriginateUrl));
        Assert.Equal(CommandOutcome.Invalid, (await Settings.UpdateAsync(Admin, new TelephonySettingsInput { DialEnabled = true, OriginateUrl = "ftp://x" , ApiKey = Key })).Outcome);

        await ConfigureAsync();

        await using var db = _db.NewDbContext();
        var row = await db.TelephonySettings.AsNoTracking().SingleAsync();
        Assert.NotNull(row.ProtectedApiKey);
        Assert.DoesNotContain(Key, row.ProtectedApiKey);
        Assert.True((await Settings.GetAsync()).HasApiKey);
        Assert.True(await Settings.DialEnabledAsync());
        Assert.DoesNotContain(Key, Assert.Single(await AuditAsync(TelephonySettingsService.AuditAction)));
        // Saving again without typing the key keeps it.
        Assert.Equal(CommandOutcome.Done, (await Settings.UpdateAsync(Admin, new TelephonySettingsInput { DialEnabled = true, OriginateUrl = _provider.Url, DialTimeoutSeconds = 7 })).Outcome);
        Assert.True((await Settings.GetAsync()).HasApiKey);
    }
}
