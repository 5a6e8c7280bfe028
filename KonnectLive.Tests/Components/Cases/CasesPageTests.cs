using System.Text.Json.Nodes;
using Bunit;
using KonnectLive.Core.Cases;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Telephony;
using KonnectLive.Desktop.Components.Pages.Cases;
using KonnectLive.Desktop.Components.Shared;
using KonnectLive.Tests.Components.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KonnectLive.Tests.Components.Cases;

/// <summary>
/// The Cases list and the customer page's Cases section on the real services: cases filed from real call events, the
/// status filter, close and reopen with their snackbars, a case's sessions, and nothing of another dealership.
/// </summary>
public sealed class CasesPageTests : CustomerComponentTest
{
    private InboundCaller _phoneSystem = null!;
    private int _serial;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await CreateDbAsync();
        var client = new ApiClient { ClientId = "pbx", Name = "PBX", SecretHash = "-", Scopes = ApiScopes.Telephony, CreatedAt = Now };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync();
        _phoneSystem = new InboundCaller(client.Id, client.ClientId);
    }

    /// <summary>An inbound call from <paramref name="number"/> answered by <paramref name="agent"/> (a user name) in <paramref name="queue"/>.</summary>
    private async Task CallAsync(string number, string agent, string queue, int minutesAgo)
    {
        var call = $"c{Interlocked.Increment(ref _serial)}";
        var at = Now.AddMinutes(-minutesAgo);
        JsonObject Event(string type, int second, string? who = null, string? reason = null) => new()
        {
            ["eventId"] = $"{call}-{type}", ["callId"] = call, ["type"] = type, ["occurredAt"] = at.AddSeconds(second).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["direction"] = "inbound", ["ani"] = number, ["dnis"] = "0113 496 0000", ["queue"] = queue, ["agent"] = who, ["reason"] = reason,
        };
        var outcome = await Ctx.Services.GetRequiredService<TelephonyEventService>().IngestAsync(_phoneSystem,
            new JsonObject { ["events"] = new JsonArray(Event("offered", 0), Event("answered", 4, agent), Event("ended", 94, reason: "completed")) }.ToJsonString());
        Assert.True(outcome.StatusCode == 200, outcome.Error);
    }

    [Fact]
    public async Task CasesPage_OpenByDefault_CloseHidesIt_ClosedFilterShowsIt_ReopenBringsItBack()
    {
        var alice = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900111"]);
        await AddCustomerAsync("Yves", "York", phones: ["+447700900222"], dealershipId: OtherDealershipId);
        await CallAsync("07700 900111", "alice", "CSI", 30);
        await CallAsync("07700 900111", "alice", "Service", 20);
        await CallAsync("07700 900222", "nobody.in.york", "CSI", 10); // York's customer: never on a Leeds agent's list

        Ctx.Render<MudPopoverProvider>();
        var page = Ctx.Render<CasesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=case-row]").Count), Patience);
        Assert.Equal("2 cases", page.Find("[data-testid=cases-count]").TextContent);
        Assert.DoesNotContain("York", page.Markup);

        var serviceRow = page.FindAll("[data-testid=case-row]").Single(r => r.TextContent.Contains("Service"));
        var id = serviceRow.GetAttribute("data-case-id");
        serviceRow.QuerySelector("[data-testid=close-case]")!.Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=case-row]")), Patience);
        Assert.Contains(Snackbar.ShownSnackbars, s => s.Message == $"Case {id} closed.");

        // The Closed filter (the page's table with the status the select sets).
        var closed = Ctx.Render<CaseTable>(p => p.Add(t => t.Scope, Me).Add(t => t.Filter, new CaseFilter(Status: CaseStatus.Closed)));
        closed.WaitForAssertion(() => Assert.Equal(id, closed.Find("[data-testid=case-row]").GetAttribute("data-case-id")), Patience);
        Assert.Contains("by Alice Agent", closed.Find("[data-testid=case-status]").TextContent);
        closed.Find("[data-testid=reopen-case]").Click();
        closed.WaitForAssertion(() => Assert.Empty(closed.FindAll("[data-testid=case-row]")), Patience);
        Assert.Contains(Snackbar.ShownSnackbars, s => s.Message == $"Case {id} reopened.");
        Assert.Contains(alice.CustomerId.ToString(), page.Markup); // customer linked
    }

    [Fact]
    public async Task CustomerCases_ShowsTheCustomersCases_AndEachCasesSessionsInOrder()
    {
        var alice = await AddCustomerAsync("Alice", "Archer", phones: ["+447700900111"]);
        await CallAsync("07700 900111", "alice", "CSI", 30);
        await CallAsync("+447700900111", "bob", "CSI", 20); // the phone system sends either form: both are shown alike

        var cut = Ctx.Render<CustomerCases>(p => p.Add(c => c.CustomerId, alice.CustomerId).Add(c => c.Scope, Me));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=case-row]")), Patience);
        Assert.Equal("Cases (1)", cut.Find("#customer-cases-heading").TextContent);
        Assert.Contains("Inbound call from 07700 900111 (Alice Archer)", cut.Markup);
        Assert.Contains("voice_inbound", cut.Markup);

        cut.Find("[data-testid=toggle-sessions]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=case-session]").Count), Patience);
        var sessions = cut.FindAll("[data-testid=case-session]").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))).ToList();
        Assert.StartsWith("1 | voice_inbound | 07700 900111 | Alice Agent", sessions[0]);
        Assert.StartsWith("2 | voice_inbound | 07700 900111 | Bob Jones", sessions[1]);
        Assert.Contains("| 1:34 |", sessions[0]); // offered to ended
    }

    [Fact]
    public async Task CasesPage_Open_ACallFilesANewCaseOrReopensOne_ShowsLiveWithoutReload()
    {
        await using (var db = await CreateDbAsync())
        {
            // Configuration → Case Records: a call may reopen a case closed within 7 days.
            var settings = await db.CaseRecordSettings.SingleOrDefaultAsync(s => s.Id == CaseRecordSettings.SingletonId);
            if (settings is null) db.CaseRecordSettings.Add(settings = new CaseRecordSettings { Id = CaseRecordSettings.SingletonId });
            settings.AppendToRecentlyClosed = true;
            await db.SaveChangesAsync();
        }
        await AddCustomerAsync("Alice", "Archer", phones: ["+447700900111"]);
        await AddCustomerAsync("Bella", "Barnes", phones: ["+447700900333"]);
        await CallAsync("07700 900111", "alice", "CSI", 30);
        Ctx.Render<MudPopoverProvider>();
        var page = Ctx.Render<CasesPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=case-row]")), Patience);
        var aliceCase = page.Find("[data-testid=case-row]").GetAttribute("data-case-id")!;

        // A call while the page is open files a new case: it appears, with the count, and no reload.
        await CallAsync("07700 900333", "bob", "CSI", 5);
        page.WaitForAssertion(() =>
        {
            Assert.Equal(2, page.FindAll("[data-testid=case-row]").Count);
            Assert.Equal("2 cases", page.Find("[data-testid=cases-count]").TextContent);
            Assert.Contains("Bella Barnes", page.Markup);
        }, Patience);

        // Another agent closes Alice's case elsewhere: it leaves this Open list. (At most one reload per interval, on the
        // injected clock.)
        Time.Advance(CasesPage.ReloadInterval);
        var result = await Ctx.Services.GetRequiredService<CaseService>().CloseAsync(Other, long.Parse(aliceCase));
        Assert.Equal(KonnectLive.Core.Common.CommandOutcome.Done, result.Outcome);
        page.WaitForAssertion(() => Assert.DoesNotContain(page.FindAll("[data-testid=case-row]"), r => r.GetAttribute("data-case-id") == aliceCase), Patience);

        // Alice rings again: the call reopens her recently closed case, which comes back to the Open list by itself.
        Time.Advance(CasesPage.ReloadInterval);
        await CallAsync("07700 900111", "alice", "CSI", 1);
        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("[data-testid=case-row]");
            Assert.Equal(2, rows.Count);
            var alice = rows.Single(r => r.GetAttribute("data-case-id") == aliceCase);
            Assert.Contains("2 sessions", alice.TextContent);
            Assert.Contains("Open", alice.QuerySelector("[data-testid=case-status]")!.TextContent);
        }, Patience);
    }
}
